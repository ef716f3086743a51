namespace Snn.Neurons;

/// <summary>
/// What <see cref="NeuronModel.Forward"/> produced: the output, the final state and, when recorded, every
/// pre-reset value a backward pass needs. Disposing it disposes every tensor it holds.
/// </summary>
public sealed class NeuronOutput : IDisposable
{
    internal NeuronOutput(Tensor output, NeuronState state, Tensor? membrane, Tensor? current, Tensor? adaptation, Tensor? refractory)
    {
        Output = output;
        State = state;
        Membrane = membrane;
        Current = current;
        Adaptation = adaptation;
        Refractory = refractory;
    }

    /// <summary>[T, B, N]: the spike count of every step (0 or 1 unless several spikes per step are allowed);
    /// for LI, the membrane V' (a non-spiking readout).</summary>
    public Tensor Output { get; }

    /// <summary>The state after the last step: pass it to the next <see cref="NeuronModel.Forward"/> to stream.</summary>
    public NeuronState State { get; }

    /// <summary>Recorded [T, B, N]: the membrane each step's spikes were decided from (before reset), else null.</summary>
    public Tensor? Membrane { get; }

    /// <summary>Recorded [T, B, N]: the synaptic current after each step (CuBaLIF), else null.</summary>
    public Tensor? Current { get; }

    /// <summary>Recorded [T, B, N]: the adaptation A of each step's threshold (ALIF), else null.</summary>
    public Tensor? Adaptation { get; }

    /// <summary>Recorded [T, B, N]: the refractory counter at the start of each step, else null.</summary>
    public Tensor? Refractory { get; }

    /// <summary>Releases every tensor.</summary>
    public void Dispose()
    {
        Output.Dispose();
        State.Dispose();
        Membrane?.Dispose();
        Current?.Dispose();
        Adaptation?.Dispose();
        Refractory?.Dispose();
    }
}
