namespace Snn.Neurons;

/// <summary>
/// What a neuron population carries from one step (and one <see cref="NeuronModel.Forward"/> call) to the next,
/// each tensor [batch, neurons]; a variable the model does not use is null. Disposing it disposes every tensor.
/// Get a zero state with <see cref="NeuronModel.InitialState"/>, or the final state of a run from
/// <see cref="NeuronOutput.State"/>; write into its tensors to start elsewhere.
/// </summary>
public sealed class NeuronState : IDisposable
{
    internal NeuronState(Tensor membrane, Tensor? current, Tensor? adaptation, Tensor? refractory, Tensor? spikes)
    {
        Membrane = membrane;
        Current = current;
        Adaptation = adaptation;
        Refractory = refractory;
        Spikes = spikes;
    }

    /// <summary>Membrane potential V.</summary>
    public Tensor Membrane { get; }

    /// <summary>Synaptic current I (CuBaLIF), else null.</summary>
    public Tensor? Current { get; }

    /// <summary>Threshold adaptation A (ALIF; the effective threshold is Threshold + A), else null.</summary>
    public Tensor? Adaptation { get; }

    /// <summary>Steps each neuron stays refractory (when <see cref="NeuronModel.RefractorySteps"/> &gt; 0), else null.</summary>
    public Tensor? Refractory { get; }

    /// <summary>The last step's spikes (recurrent models that spike after the input), else null.</summary>
    public Tensor? Spikes { get; }

    /// <summary>Releases every tensor of the state.</summary>
    public void Dispose()
    {
        Membrane.Dispose();
        Current?.Dispose();
        Adaptation?.Dispose();
        Refractory?.Dispose();
        Spikes?.Dispose();
    }
}
