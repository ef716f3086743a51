using Snn.Networks;

namespace Snn.Neurons;

/// <summary>
/// What the neurons of a <see cref="Population"/> compute: the clock-driven family (<see cref="NeuronModel"/>: IF,
/// LIF, LI, ALIF, CuBaLIF with the Spyx, snnTorch, PySNN and Rockpool conventions as options) or the neurons with
/// traces (<see cref="TraceNeuronModel"/>). A model holds the constants and per-neuron parameters; the population
/// holds the state and makes the model a <see cref="Layer"/>. A new model derives from this class and supplies a
/// <see cref="PopulationRunner"/> (docs/neurons.md).
/// </summary>
public abstract class PopulationModel : IDisposable
{
    private protected PopulationModel(Device? device) => Device = device ?? Device.Default;

    /// <summary>The device holding the parameters; inputs must be on it.</summary>
    public Device Device { get; }

    /// <summary>The model's name in saved configurations ("family", "trace").</summary>
    internal abstract string ConfigName { get; }

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

    public abstract void ResetState();

    public abstract void SetState(string name, Tensor value);

    /// <summary>Runs every step of <paramref name="input"/> [T, B, ...shape]; records through the population.</summary>
    public abstract Signal Forward(Signal input);

    public void Dispose() => ResetState();
}
