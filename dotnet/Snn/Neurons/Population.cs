using Snn.Networks;

namespace Snn.Neurons;

/// <summary>
/// A population of neurons as a network layer, configured by its <see cref="PopulationModel"/>: the clock-driven
/// family (<see cref="NeuronModel"/>: IF, LIF, LI, ALIF, CuBaLIF, recurrent or not, with the conventions of Spyx,
/// snnTorch, PySNN or Rockpool as options) or the neurons with traces (<see cref="TraceNeuronModel"/>). It maps
/// [T, B, ...shape] input to [T, B, ...shape] output in one native call over all steps, keeps its state from one
/// call to the next, and is saved, loaded, moved and recorded like every other <see cref="Layer"/>. The population
/// owns its model. What each model records, keeps as state and has as parameters: docs/neurons.md.
/// </summary>
[LayerType("Population", "NeuronLayer")]
public class Population : Layer
{
    private readonly PopulationRunner _runner;

    /// <summary>A population of the clock-driven family. The neurons are laid out as <paramref name="shape"/> per
    /// sample (e.g. [C, H, W] after a convolution; its element count is the model's size), or flat [N] when null.</summary>
    public Population(NeuronModel model, string? name = null, long[]? shape = null)
        : this((PopulationModel)model, ShapeOf(model, shape), name) { }

    /// <summary>A population of neurons with traces laid out as <paramref name="shape"/> per sample (no batch axis).</summary>
    public Population(TraceNeuronModel model, long[] shape, string? name = null)
        : this((PopulationModel)model, CheckShape(model, shape), name) { }

    private readonly PopulationModel _model;

    private Population(PopulationModel model, long[] shape, string? name) : base(shape, shape, model.Device, name)
    {
        _model = model;
        _runner = model.CreateRunner(this);
    }

    /// <summary>The model; change its options between calls as on a standalone model.</summary>
    public PopulationModel Model
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return _model;
        }
    }

    /// <inheritdoc/>
    public override bool SpikingInput => _runner.SpikingInput;

    /// <inheritdoc/>
    public override bool SpikingOutput => _runner.SpikingOutput;

    /// <inheritdoc/>
    public override IReadOnlyList<string> Recordable => _runner.Recordable;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Parameters => _runner.Parameters;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> State => _runner.State;

    /// <inheritdoc/>
    public override LayerConfig Config
    {
        get
        {
            var config = new LayerConfig(TypeName).Set("model", _model.ConfigName);
            _model.WriteConfig(config);
            return config.Set("shape", InputShape);
        }
    }

    /// <summary>Rebuilds a population from <paramref name="config"/> (files written before the model entry existed
    /// hold the clock-driven family); per-neuron parameters start at zero and the loader fills in the saved values.</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        var which = config.Contains("model") ? config.GetString("model") : "family";
        return which switch
        {
            "family" => new Population(NeuronModel.FromConfig(config, device), null, config.GetIntArray("shape")),
            "trace" => new Population(TraceNeuronModel.FromConfig(config, device), config.GetIntArray("shape")),
            _ => throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"Population configuration names an unknown model \"{which}\" (known: family, trace); the file was written by another version or is damaged."),
        };
    }

    /// <inheritdoc/>
    public override void ResetState() => _runner.ResetState();

    /// <inheritdoc/>
    protected override Signal ForwardCore(Signal input) => _runner.Forward(input);

    /// <inheritdoc/>
    protected override void SetStateCore(string name, Tensor value) => _runner.SetState(name, value);

    /// <inheritdoc/>
    protected override void DisposeCore()
    {
        _runner.Dispose();
        _model.Dispose();
    }

    /// <summary>Whether the current call records <paramref name="variable"/> (for the model's runner).</summary>
    internal bool Records(string variable) => IsRecording(variable);

    /// <summary>Hands a recorded [T, B, ...shape] tensor to the population (for the model's runner).</summary>
    internal void Keep(string variable, Tensor values) => SetRecorded(variable, values);

    private static long[] ShapeOf(NeuronModel model, long[]? shape)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (shape is null) return [model.Size];
        if (shape.Length == 0 || shape.Any(d => d <= 0) || Tensor.ElementCountOf(shape) != model.Size)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"shape [{string.Join(", ", shape)}] must hold exactly the model's {model.Size} neurons; pass dimensions whose product is {model.Size}.");
        return (long[])shape.Clone();
    }

    private static long[] CheckShape(TraceNeuronModel model, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0 || shape.Any(d => d <= 0))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"cellsShape [{string.Join(", ", shape)}] must have at least one dimension and every dimension >= 1; pass the shape of one sample's neurons, e.g. [100] or [channels, height, width] (no batch axis).");
        return (long[])shape.Clone();
    }
}
