using Snn.Networks;

namespace Snn.Neurons;

/// <summary>
/// A population of neurons as a network layer, configured by its <see cref="PopulationModel"/>: the clock-driven
/// family (<see cref="NeuronModel"/>: IF, LIF, LI, ALIF, CuBaLIF, recurrent or not, with the conventions of Spyx,
/// snnTorch, PySNN or Rockpool as options, and the timed modules' leaky integrator), the neurons with traces
/// (<see cref="TraceNeuronModel"/>) or the current-driven integrate-and-fire neurons with their input weights
/// (<see cref="CurrentIafModel"/>, Rockpool's FFIAF). It maps [T, B, ...input shape] to [T, B, ...shape] in one
/// native call over all steps, keeps its state from one call to the next, and is saved, loaded, moved and recorded
/// like every other <see cref="Layer"/>. The population owns its model. What each model records, keeps as state and
/// has as parameters: docs/neurons.md. Files of the former layer types NeuronLayer, CurrentIaf, FFIAF and
/// LeakyIntegrator load as populations.
/// </summary>
[LayerType("Population", "NeuronLayer", "CurrentIaf", "FFIAF", "LeakyIntegrator")]
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

    /// <summary>A population of current-driven integrate-and-fire neurons: [T, B, N_in] input currents through the
    /// model's weights to [T, B, N] spikes.</summary>
    public Population(CurrentIafModel model, string? name = null)
        : this(model ?? throw new ArgumentNullException(nameof(model)), [model.Size], name) { }

    private readonly PopulationModel _model;
    private IReadOnlyDictionary<string, string>? _formerNames;

    private Population(PopulationModel model, long[] shape, string? name)
        : base(model.InputShape ?? shape, model.OutputShape ?? shape, model.Device, name)
    {
        _model = model;
        _runner = model.CreateRunner(this);
    }

    /// <summary>Steps run since the state was last at rest (<see cref="ResetState"/>, or a call with another batch
    /// size); the current-driven IAF draws the noise of step k from stream offset k.</summary>
    public ulong StepCount => _runner.StepCount;

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
            return config.Set("shape", OutputShape); // the neurons' shape (a current IAF's input is its weights')
        }
    }

    /// <summary>Rebuilds a population from <paramref name="config"/> (files written before the model entry existed
    /// hold the clock-driven family; those of the former CurrentIaf, FFIAF and LeakyIntegrator layers their own
    /// configuration); per-neuron parameters start at zero and the loader fills in the saved values.</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.TypeName is "CurrentIaf" or "FFIAF") return new Population(CurrentIafModel.FromConfig(config, device));
        if (config.TypeName == "LeakyIntegrator") return FormerLeakyIntegrator(config, device);
        var which = config.Contains("model") ? config.GetString("model") : "family";
        return which switch
        {
            "family" => new Population(NeuronModel.FromConfig(config, device), null, config.GetIntArray("shape")),
            "trace" => new Population(TraceNeuronModel.FromConfig(config, device), config.GetIntArray("shape")),
            "current_iaf" => new Population(CurrentIafModel.FromConfig(config, device)),
            _ => throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"Population configuration names an unknown model \"{which}\" (known: family, trace, current_iaf); the file was written by another version or is damaged."),
        };
    }

    /// <summary>A file of the former LeakyIntegrator layer ({size, threshold or null}, parameters "decay" and "gain",
    /// state "v"): the leaky integrator of the neuron family, its tensors found under their former names.</summary>
    private static Population FormerLeakyIntegrator(LayerConfig config, Device device)
    {
        float? threshold = null;
        if (config.Contains("threshold"))
        {
            try { threshold = (float)config.GetDouble("threshold"); }
            catch (SnnArgumentException) { threshold = null; } // stored as null: a rate output
        }
        var model = NeuronModel.LeakyIntegrator(checked((int)config.GetInt("size")), threshold: threshold, device: device);
        return new Population(model) { _formerNames = new Dictionary<string, string> { ["decay"] = "beta", ["gain"] = "input_scale", ["v"] = "membrane" } };
    }

    /// <inheritdoc/>
    internal override string CurrentName(string savedName) =>
        _formerNames is not null && _formerNames.TryGetValue(savedName, out var name) ? name : savedName;

    /// <inheritdoc/>
    public override void ResetState() => _runner.ResetState();

    /// <inheritdoc/>
    protected override void SetStateCore(string name, Tensor value) => _runner.SetState(name, value);

    /// <inheritdoc/>
    protected override Signal ForwardCore(Signal input)
    {
        var output = _runner.Forward(input);
        _runner.Advance(input.Steps);
        return output;
    }

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
