using Snn.Networks;

namespace Snn.Neurons;

/// <summary>
/// What the neurons of a <see cref="Population"/> compute: the clock-driven family (<see cref="NeuronModel"/>: IF,
/// LIF, LI, ALIF, CuBaLIF with the Spyx, snnTorch, PySNN and Rockpool conventions as options) or the neurons with
/// traces (<see cref="TraceNeuronModel"/>) or the current-driven integrate-and-fire neurons with their input weights
/// (<see cref="CurrentIafModel"/>). A model holds the constants and per-neuron parameters; the population
/// holds the state and makes the model a <see cref="Layer"/>. A new model derives from this class and supplies a
/// <see cref="PopulationRunner"/> (docs/neurons.md). The current-driven IAF (<see cref="CurrentIafModel"/>) also holds
/// its input weights, so its population maps [N_in] inputs to [N] neurons.
/// </summary>
public abstract class PopulationModel : IDisposable
{
    private protected PopulationModel(Device? device) => Device = device ?? Device.Default;

    /// <summary>The device holding the parameters; inputs must be on it.</summary>
    public Device Device { get; }

    /// <summary>The model's name in saved configurations ("family", "trace", "current_iaf").</summary>
    internal abstract string ConfigName { get; }

    /// <summary>The shape of one sample of one step of the input, when the model defines it (the current-driven IAF:
    /// [N_in], its weights' input size); null when the population's neuron shape is also its input shape.</summary>
    internal virtual long[]? InputShape => null;

    /// <summary>The shape of one sample of the output when the model defines it, else null (the neuron shape).</summary>
    internal virtual long[]? OutputShape => null;

    /// <summary>The model's constants as configuration entries (the population adds its shape and name).</summary>
    internal abstract void WriteConfig(LayerConfig config);

    /// <summary>The object that runs this model for <paramref name="population"/> and carries its state.</summary>
    internal abstract PopulationRunner CreateRunner(Population population);

    /// <summary>Releases the model's tensors.</summary>
    public abstract void Dispose();
}

/// <summary>
/// Runs a <see cref="PopulationModel"/> for one <see cref="Population"/>: the state carried between calls, the native
/// call over all steps and what it records. The population checks shapes, devices and disposal before calling.
/// </summary>
internal abstract class PopulationRunner(Population population) : IDisposable
{
    protected Population Population { get; } = population;

    public abstract IReadOnlyDictionary<string, Tensor> Parameters { get; }

    /// <summary>State by name, empty at rest.</summary>
    public abstract IReadOnlyDictionary<string, Tensor> State { get; }

    public abstract IReadOnlyList<string> Recordable { get; }

    public abstract bool SpikingInput { get; }

    public abstract bool SpikingOutput { get; }

    /// <summary>Steps run since the state was last at rest (a reset, or a call with another batch size).</summary>
    public ulong StepCount { get; private set; }

    /// <summary>Back to rest, the step count at 0.</summary>
    public void ResetState()
    {
        StepCount = 0;
        ResetCore();
    }

    /// <summary>Counts <paramref name="steps"/> more steps run (the population calls it after each forward).</summary>
    public void Advance(long steps) => StepCount += (ulong)steps;

    /// <summary>Releases the state: the next call starts from rest.</summary>
    protected abstract void ResetCore();

    public abstract void SetState(string name, Tensor value);

    /// <summary>Runs every step of <paramref name="input"/> [T, B, ...shape]; records through the population.</summary>
    public abstract Signal Forward(Signal input);

    public void Dispose() => ResetState();
}
