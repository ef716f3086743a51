namespace Snn.Neurons;

/// <summary>What a multi-step LIF run produced. Disposing it disposes every tensor it holds.</summary>
public sealed class LifOutput : IDisposable
{
    internal LifOutput(Tensor spikes, Tensor? membrane, Tensor state)
    {
        Spikes = spikes;
        Membrane = membrane;
        State = state;
    }

    /// <summary>Spikes [T, B, N]: 1 where the neuron fired at that step, else 0.</summary>
    public Tensor Spikes { get; }

    /// <summary>Membrane [T, B, N] of every step before reset, when it was recorded; else null.</summary>
    public Tensor? Membrane { get; }

    /// <summary>Membrane [B, N] after the last step (after reset): pass it as the initial state of the next call to stream.</summary>
    public Tensor State { get; }

    /// <summary>Releases the spikes, membrane and state tensors.</summary>
    public void Dispose()
    {
        Spikes.Dispose();
        Membrane?.Dispose();
        State.Dispose();
    }
}
