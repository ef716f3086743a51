// Spyx's neuron models (spyx.nn) under their own names and argument orders. Each is a Population of the clock-driven
// family configured as Spyx configures it (NeuronModel.Create: spike from the state before the input, reset by
// subtraction, decays clamped into [0, 1], Spyx's initialisation); all arithmetic is the family's.
using System.Globalization;
using Snn.Neurons;
using Snn.Timed;

namespace Snn.Spyx;

/// <summary>
/// The part every Spyx neuron shares: <c>hidden_shape</c> as the per-sample shape of the population (a tuple, e.g.
/// (64,) or a conv-shaped (32, 32, 8)), <c>activation</c> naming the surrogate gradient (kept for training), decays
/// given as None (per-neuron, drawn), a number (a scalar) or an array of <c>hidden_shape</c> (per-neuron values), and
/// <c>initial_state(batch_size)</c>. Input is a whole sequence [T, B, ...hidden_shape] (Haiku's
/// <c>dynamic_unroll(..., time_major=True)</c>), run in one native call, or batch-major [B, T, ...] through
/// <see cref="Unroll"/> with <c>time_major=False</c>.
/// </summary>
public abstract class SpyxNeuron : Population
{
    /// <summary>The surrogate gradients Spyx provides (spyx.axn), by the names <c>activation</c> takes.</summary>
    public static IReadOnlyList<string> Surrogates { get; } = ["superspike", "arctan", "tanh", "boxcar", "triangular"];

    private protected SpyxNeuron(NeuronModel model, long[] hiddenShape, string activation, string name)
        : base(model, name, Shape(hiddenShape))
    {
        Activation = CheckActivation(activation);
    }

    /// <summary>The surrogate gradient's name (one of <see cref="Surrogates"/>); the forward pass is the step
    /// function whatever it is, training uses it.</summary>
    public string Activation { get; }

    /// <summary>The per-sample shape of the population.</summary>
    public long[] HiddenShape => InputShape;

    /// <summary>The model the population runs.</summary>
    public NeuronModel Neurons => (NeuronModel)Model;

    /// <summary>Spyx's <c>initial_state(batch_size)</c>: a zero state [batch, N] of every variable the model uses.</summary>
    public NeuronState InitialState(int batchSize) => Neurons.InitialState(batchSize);

    /// <summary>
    /// Spyx's <c>core(x, state)</c>, one step as Haiku calls an RNN core: <paramref name="x"/> [B, ...hidden_shape] and
    /// the state (from <see cref="InitialState"/> or the previous step) give this step's output [B, ...hidden_shape] and
    /// the next state; <paramref name="state"/> is not modified. Python writes it <c>spikes, V = lif(x, V)</c>.
    /// </summary>
    [PythonName("__call__")]
    public (Tensor Output, NeuronState State) Invoke(Tensor x, NeuronState state)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(state);
        var shape = x.Shape;
        if (shape.Length != HiddenShape.Length + 1 || !shape.AsSpan(1).SequenceEqual(HiddenShape))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Name} takes one step [batch, {string.Join(", ", HiddenShape)}], got [{string.Join(", ", shape)}]; pass a whole sequence [time, batch, ...] to Forward.");
        using var step = x.Reshape(1, shape[0], Neurons.Size);
        var result = Neurons.Forward(step, state);
        using (result.Output) return (result.Output.Reshape(shape), result.State);
    }

    /// <summary>
    /// Haiku's <c>dynamic_unroll(core, x, initial_state, time_major)</c> over a whole sequence in one native call:
    /// <paramref name="x"/> is [T, B, ...hidden_shape] when <paramref name="timeMajor"/> (Haiku's default) or
    /// [B, T, ...hidden_shape] when not, and the outputs come back in the same layout; the final state is the
    /// population's (<see cref="Networks.Layer.State"/>), carried to the next call. The batch-major layout is swapped to
    /// time-major and back natively (<see cref="Tensor.SwapLeadingAxes"/>).
    /// </summary>
    public Tensor Unroll(Tensor x, bool timeMajor = true)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (timeMajor) return Forward(x).Values; // a population's signal carries no trace: the values are all it holds
        if (x.Shape.Length < 2)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Name} takes a batch-major sequence [batch, time, {string.Join(", ", HiddenShape)}], got [{string.Join(", ", x.Shape)}].");
        using var steps = x.SwapLeadingAxes();
        using var output = Forward(steps);
        return output.Values.SwapLeadingAxes();
    }

    /// <summary>Builds the model: <paramref name="kind"/> with Spyx's initialisation, then per-neuron arrays where given.</summary>
    private protected static NeuronModel Build(NeuronKind kind, long[] hiddenShape, object? alpha, object? beta, object? gamma,
        float threshold, bool recurrent, ulong seed, Device? device)
    {
        var size = checked((int)Tensor.ElementCountOf(Shape(hiddenShape)));
        var model = NeuronModel.Create(kind, size, Scalar(alpha, "alpha"), Scalar(beta, "beta"), Scalar(gamma, "gamma"),
            threshold, recurrent, seed, device);
        try
        {
            return model.WithDecays(PerNeuron(alpha, "alpha", size), PerNeuron(beta, "beta", size), PerNeuron(gamma, "gamma", size));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static long[] Shape(long[] hiddenShape)
    {
        ArgumentNullException.ThrowIfNull(hiddenShape);
        if (hiddenShape.Length == 0 || hiddenShape.Any(d => d <= 0))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"hidden_shape ({string.Join(", ", hiddenShape)}) must be a tuple of sizes >= 1, e.g. (64,) or (32, 32, 8).");
        return hiddenShape;
    }

    private static string CheckActivation(string activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        var name = activation.ToLowerInvariant();
        if (!Surrogates.Contains(name))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"activation \"{activation}\" is not one of Spyx's surrogates; pass {string.Join(", ", Surrogates.Select(s => $"\"{s}\""))}.");
        return name;
    }

    /// <summary>A decay given as a number: that scalar; null or an array: no scalar.</summary>
    private static float? Scalar(object? value, string name) => value switch
    {
        null or Array => null,
        IConvertible c when value is not string and not bool => (float)c.ToDouble(CultureInfo.InvariantCulture),
        _ => throw new SnnArgumentException(ErrorCode.InvalidArgument,
            $"{name} must be None, a number or an array of hidden_shape, got {value.GetType().Name}."),
    };

    /// <summary>A decay given as an array: its values, one per neuron.</summary>
    private static float[]? PerNeuron(object? value, string name, int size)
    {
        if (value is not Array a) return null;
        var values = ArrayData.Doubles(a, name);
        if (values.Length != size)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{name} has {values.Length} values but the population has {size} neurons; pass one value per neuron (an array of hidden_shape), a number or None.");
        return values.Select(v => (float)v).ToArray();
    }
}

/// <summary>Spyx's IF: s = H(V - threshold); V' = V + x - s threshold.</summary>
public sealed class IF : SpyxNeuron
{
    /// <summary>spyx.nn.IF(hidden_shape, threshold=1, activation=superspike(), name='IF').</summary>
    public IF(long[] hiddenShape, float threshold = 1f, string activation = "superspike", string name = "IF", Device? device = null)
        : base(Build(NeuronKind.If, hiddenShape, null, null, null, threshold, false, 0, device), hiddenShape, activation, name) { }
}

/// <summary>Spyx's LIF: s = H(V - threshold); V' = beta V + x - s threshold.</summary>
public sealed class LIF : SpyxNeuron
{
    /// <summary>spyx.nn.LIF(hidden_shape, beta=None, threshold=1.0, activation=superspike(), name='LIF'); a None decay is
    /// drawn from <paramref name="seed"/>.</summary>
    public LIF(long[] hiddenShape, object? beta = null, float threshold = 1f, string activation = "superspike", string name = "LIF",
        ulong seed = 0, Device? device = null)
        : base(Build(NeuronKind.Lif, hiddenShape, null, beta, null, threshold, false, seed, device), hiddenShape, activation, name) { }
}

/// <summary>Spyx's LI, a non-spiking readout: V' = beta V + x, output V' (a None beta starts every neuron at 0.8).</summary>
public sealed class LI : SpyxNeuron
{
    /// <summary>spyx.nn.LI(layer_shape, beta=None, name='LI').</summary>
    public LI(long[] layerShape, object? beta = null, string name = "LI", Device? device = null)
        : base(Build(NeuronKind.Li, layerShape, null, beta, null, 1f, false, 0, device), layerShape, "superspike", name) { }
}

/// <summary>Spyx's ALIF (LSNN): theta = threshold + T; s = H(V - theta); V' = beta V + x - s theta; T' = gamma T + (1 - gamma) s.</summary>
public sealed class ALIF : SpyxNeuron
{
    /// <summary>spyx.nn.ALIF(hidden_shape, beta=None, gamma=None, threshold=1, activation=superspike(), name='ALIF').</summary>
    public ALIF(long[] hiddenShape, object? beta = null, object? gamma = null, float threshold = 1f, string activation = "superspike",
        string name = "ALIF", ulong seed = 0, Device? device = null)
        : base(Build(NeuronKind.Alif, hiddenShape, null, beta, gamma, threshold, false, seed, device), hiddenShape, activation, name) { }
}

/// <summary>Spyx's CuBaLIF: s = H(V - threshold); V -= s threshold; I' = alpha I + x; V' = beta V + I' (the reset
/// applied once: an old Spyx release applied it twice).</summary>
public sealed class CuBaLIF : SpyxNeuron
{
    /// <summary>spyx.nn.CuBaLIF(hidden_shape, alpha=None, beta=None, threshold=1, activation=superspike(), name='CuBaLIF').</summary>
    public CuBaLIF(long[] hiddenShape, object? alpha = null, object? beta = null, float threshold = 1f, string activation = "superspike",
        string name = "CuBaLIF", ulong seed = 0, Device? device = null)
        : base(Build(NeuronKind.CubaLif, hiddenShape, alpha, beta, null, threshold, false, seed, device), hiddenShape, activation, name) { }
}

/// <summary>Spyx's RIF: IF plus the recurrent input s @ W of this step's spikes, W [N, N] indexed [pre, post].</summary>
public sealed class RIF : SpyxNeuron
{
    /// <summary>spyx.nn.RIF(hidden_shape, threshold=1, activation=superspike(), name='RIF'); W drawn from <paramref name="seed"/>.</summary>
    public RIF(long[] hiddenShape, float threshold = 1f, string activation = "superspike", string name = "RIF", ulong seed = 0,
        Device? device = null)
        : base(Build(NeuronKind.If, hiddenShape, null, null, null, threshold, true, seed, device), hiddenShape, activation, name) { }
}

/// <summary>Spyx's RLIF: LIF plus the recurrent input s @ W of this step's spikes.</summary>
public sealed class RLIF : SpyxNeuron
{
    /// <summary>spyx.nn.RLIF(hidden_shape, beta=None, threshold=1, activation=superspike(), name='RLIF').</summary>
    public RLIF(long[] hiddenShape, object? beta = null, float threshold = 1f, string activation = "superspike", string name = "RLIF",
        ulong seed = 0, Device? device = null)
        : base(Build(NeuronKind.Lif, hiddenShape, null, beta, null, threshold, true, seed, device), hiddenShape, activation, name) { }
}

/// <summary>Spyx's RCuBaLIF: CuBaLIF with the recurrent input s @ W added to the synaptic current.</summary>
public sealed class RCuBaLIF : SpyxNeuron
{
    /// <summary>spyx.nn.RCuBaLIF(hidden_shape, alpha=None, beta=None, activation=superspike(), name='RCuBaLIF'); Spyx fixes
    /// the threshold at 1, <paramref name="threshold"/> changes it.</summary>
    public RCuBaLIF(long[] hiddenShape, object? alpha = null, object? beta = null, string activation = "superspike",
        string name = "RCuBaLIF", float threshold = 1f, ulong seed = 0, Device? device = null)
        : base(Build(NeuronKind.CubaLif, hiddenShape, alpha, beta, null, threshold, true, seed, device), hiddenShape, activation, name) { }
}
