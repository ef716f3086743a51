namespace Snn.Neurons;

/// <summary>The neuron models of the family; values match <c>snn_neuron_model</c>.</summary>
public enum NeuronKind
{
    /// <summary>Integrate and fire: V' = V + x, no leak.</summary>
    If = 0,
    /// <summary>Leaky integrate and fire: V' = Beta V + x.</summary>
    Lif = 1,
    /// <summary>Leaky integrator: V' = Beta V + x, never spikes; its output is V'.</summary>
    Li = 2,
    /// <summary>Adaptive LIF: threshold Threshold + A, with A' = Gamma A + (1 - Gamma) s.</summary>
    Alif = 3,
    /// <summary>Current-based LIF: I' = Alpha I + x drives V' = Beta V + I'.</summary>
    CubaLif = 4,
}

/// <summary>Which membrane a step's spikes are decided from; values match <c>snn_spike_timing</c>.</summary>
public enum SpikeTiming
{
    /// <summary>Spyx: s = H(V - threshold) from the state entering the step, then the input is integrated.</summary>
    BeforeInput = 0,
    /// <summary>snnTorch, PySNN, Rockpool: the input is integrated, then s = H(V' - threshold).</summary>
    AfterInput = 1,
}
