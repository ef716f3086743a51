// Spyx's neuron models (spyx.nn) under their own names: thin constructors over NeuronModel that set Spyx's
// conventions (spike from the state before the input, reset by subtraction, decays clamped into [0, 1]) and its
// initialisation (a decay given as null is per-neuron, truncated normal 0.5 +- 0.25; recurrent weights truncated
// normal with std 0.01), each parameter from its own Philox stream of `seed`. All arithmetic is the family's.
namespace Snn.Neurons;

/// <summary>Spyx's IF: s = H(V - threshold); V' = V + x - s threshold.</summary>
public sealed class IF : NeuronModel
{
    /// <summary>Creates <paramref name="hiddenSize"/> integrate-and-fire neurons.</summary>
    public IF(int hiddenSize, float threshold = 1f, Device? device = null)
        : base(NeuronKind.If, hiddenSize, threshold, SpikeTiming.BeforeInput, ResetMode.Subtract, device)
    {
    }
}

/// <summary>Spyx's LIF: s = H(V - threshold); V' = beta V + x - s threshold.</summary>
public sealed class LIF : NeuronModel
{
    /// <summary>Creates <paramref name="hiddenSize"/> LIF neurons; <paramref name="beta"/> null gives per-neuron
    /// decays drawn from <paramref name="seed"/>.</summary>
    public LIF(int hiddenSize, float? beta = null, float threshold = 1f, ulong seed = 0, Device? device = null)
        : base(NeuronKind.Lif, hiddenSize, threshold, SpikeTiming.BeforeInput, ResetMode.Subtract, device) =>
        Initialise(() => InitialiseDecay(Parameter.Beta, beta, seed));
}

/// <summary>Spyx's LI, a non-spiking readout: V' = beta V + x, output V'.</summary>
public sealed class LI : NeuronModel
{
    /// <summary>Creates <paramref name="layerSize"/> leaky integrators; <paramref name="beta"/> null gives
    /// per-neuron decays starting at 0.8, as in Spyx.</summary>
    public LI(int layerSize, float? beta = null, Device? device = null)
        : base(NeuronKind.Li, layerSize, 1f, SpikeTiming.BeforeInput, ResetMode.Subtract, device) =>
        Initialise(() => InitialiseDecay(Parameter.Beta, beta, 0, constant: 0.8f));
}

/// <summary>Spyx's ALIF (LSNN): theta = threshold + T; s = H(V - theta); V' = beta V + x - s theta;
/// T' = gamma T + (1 - gamma) s.</summary>
public sealed class ALIF : NeuronModel
{
    /// <summary>Creates <paramref name="hiddenSize"/> adaptive LIF neurons; a null decay is per-neuron, drawn
    /// from <paramref name="seed"/>.</summary>
    public ALIF(int hiddenSize, float? beta = null, float? gamma = null, float threshold = 1f, ulong seed = 0, Device? device = null)
        : base(NeuronKind.Alif, hiddenSize, threshold, SpikeTiming.BeforeInput, ResetMode.Subtract, device) =>
        Initialise(() =>
        {
            InitialiseDecay(Parameter.Beta, beta, seed);
            InitialiseDecay(Parameter.Gamma, gamma, seed);
        });
}

/// <summary>Spyx's CuBaLIF: s = H(V - threshold); V -= s threshold; I' = alpha I + x; V' = beta V + I' (the reset
/// applied once: an old Spyx release applied it twice).</summary>
public sealed class CuBaLIF : NeuronModel
{
    /// <summary>Creates <paramref name="hiddenSize"/> current-based LIF neurons; a null decay is per-neuron,
    /// drawn from <paramref name="seed"/>.</summary>
    public CuBaLIF(int hiddenSize, float? alpha = null, float? beta = null, float threshold = 1f, ulong seed = 0, Device? device = null)
        : base(NeuronKind.CubaLif, hiddenSize, threshold, SpikeTiming.BeforeInput, ResetMode.Subtract, device) =>
        Initialise(() =>
        {
            InitialiseDecay(Parameter.Alpha, alpha, seed);
            InitialiseDecay(Parameter.Beta, beta, seed);
        });
}

/// <summary>Spyx's RIF: IF plus the recurrent input s @ W of this step's spikes, W [N, N] indexed [pre, post].</summary>
public sealed class RIF : NeuronModel
{
    /// <summary>Creates <paramref name="hiddenSize"/> recurrent IF neurons, W drawn from <paramref name="seed"/>.</summary>
    public RIF(int hiddenSize, float threshold = 1f, ulong seed = 0, Device? device = null)
        : base(NeuronKind.If, hiddenSize, threshold, SpikeTiming.BeforeInput, ResetMode.Subtract, device) =>
        Initialise(() => InitialiseRecurrent(seed));
}

/// <summary>Spyx's RLIF: LIF plus the recurrent input s @ W of this step's spikes, W [N, N] indexed [pre, post].</summary>
public sealed class RLIF : NeuronModel
{
    /// <summary>Creates <paramref name="hiddenSize"/> recurrent LIF neurons; W and a null beta are drawn from
    /// <paramref name="seed"/>.</summary>
    public RLIF(int hiddenSize, float? beta = null, float threshold = 1f, ulong seed = 0, Device? device = null)
        : base(NeuronKind.Lif, hiddenSize, threshold, SpikeTiming.BeforeInput, ResetMode.Subtract, device) =>
        Initialise(() =>
        {
            InitialiseDecay(Parameter.Beta, beta, seed);
            InitialiseRecurrent(seed);
        });
}

/// <summary>Spyx's RCuBaLIF: CuBaLIF with the recurrent input s @ W added to the synaptic current,
/// W [N, N] indexed [pre, post].</summary>
public sealed class RCuBaLIF : NeuronModel
{
    /// <summary>Creates <paramref name="hiddenSize"/> recurrent current-based LIF neurons; W and null decays are
    /// drawn from <paramref name="seed"/>.</summary>
    public RCuBaLIF(int hiddenSize, float? alpha = null, float? beta = null, float threshold = 1f, ulong seed = 0, Device? device = null)
        : base(NeuronKind.CubaLif, hiddenSize, threshold, SpikeTiming.BeforeInput, ResetMode.Subtract, device) =>
        Initialise(() =>
        {
            InitialiseDecay(Parameter.Alpha, alpha, seed);
            InitialiseDecay(Parameter.Beta, beta, seed);
            InitialiseRecurrent(seed);
        });
}
