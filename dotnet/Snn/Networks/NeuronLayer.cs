using Snn.Neurons;

namespace Snn.Networks;

/// <summary>
/// A population of the neuron family (<see cref="NeuronModel"/>: Spyx's IF, LIF, LI, ALIF, CuBaLIF and their
/// recurrent forms, or any configuration of the family) as a network layer: [T, B, N] input currents to
/// [T, B, N] spikes (LI: membrane), the state kept from one call to the next. The layer owns the model.
/// Recordable: "membrane" (pre-reset), "current" (CuBaLIF), "adaptation" (ALIF), "refractory".
/// </summary>
[LayerType("NeuronLayer")]
public sealed class NeuronLayer : Layer
{
    private readonly NeuronModel _model;
    private NeuronState? _state;

    /// <summary>Wraps <paramref name="model"/>, which the layer now owns (it is disposed with the layer). The neurons
    /// are laid out as <paramref name="shape"/> per sample (e.g. [C, H, W] after a convolution; its element count is the
    /// model's size), or flat [N] when null.</summary>
    public NeuronLayer(NeuronModel model, string? name = null, long[]? shape = null)
        : base(ShapeOf(model, shape), ShapeOf(model, shape), model.Device, name ?? model.GetType().Name)
    {
        _model = model;
    }

    /// <summary>The population; change its options between calls as on a standalone model.</summary>
    public NeuronModel Model
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return _model;
        }
    }

    /// <inheritdoc/>
    public override bool SpikingOutput => _model.Kind != NeuronKind.Li; // a leaky integrator outputs its membrane

    /// <inheritdoc/>
    public override IReadOnlyList<string> Recordable => Kinds().Where(k => k.Used).Select(k => k.Name).ToArray();

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Parameters
    {
        get
        {
            var result = new Dictionary<string, Tensor>();
            if (_model.AlphaPerNeuron is { } a) result["alpha"] = a;
            if (_model.BetaPerNeuron is { } b) result["beta"] = b;
            if (_model.GammaPerNeuron is { } g) result["gamma"] = g;
            if (_model.RecurrentWeight is { } w) result["recurrent_weight"] = w;
            return result;
        }
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> State
    {
        get
        {
            var result = new Dictionary<string, Tensor>();
            if (_state is null) return result;
            result["membrane"] = _state.Membrane;
            if (_state.Current is { } i) result["current"] = i;
            if (_state.Adaptation is { } a) result["adaptation"] = a;
            if (_state.Refractory is { } r) result["refractory"] = r;
            if (_state.Spikes is { } s) result["spikes"] = s;
            return result;
        }
    }

    /// <inheritdoc/>
    public override LayerConfig Config => new LayerConfig(TypeName)
        .Set("kind", _model.Kind.ToString())
        .Set("shape", InputShape)
        .Set("size", _model.Size)
        .Set("threshold", _model.Threshold)
        .Set("spike_timing", _model.SpikeTiming.ToString())
        .Set("reset_mode", _model.ResetMode.ToString())
        .Set("inclusive_threshold", _model.InclusiveThreshold)
        .Set("refractory_steps", _model.RefractorySteps)
        .Set("max_spikes_per_step", _model.MaxSpikesPerStep)
        .Set("clip_decays", _model.ClipDecays)
        .Set("alpha", _model.Alpha)
        .Set("beta", _model.Beta)
        .Set("gamma", _model.Gamma)
        .Set("per_neuron", string.Join(",", Parameters.Keys.Where(k => k != "recurrent_weight")))
        .Set("recurrent", _model.RecurrentWeight is not null);

    /// <summary>Rebuilds a layer from <paramref name="config"/> with zero per-neuron decays and recurrent weights
    /// where the saved one had them (the loader then fills in the saved values).</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        var kind = Enum.Parse<NeuronKind>(config.GetString("kind")!);
        var size = checked((int)config.GetInt("size"));
        var model = new NeuronModel(kind, size, (float)config.GetDouble("threshold"),
            Enum.Parse<SpikeTiming>(config.GetString("spike_timing")!), Enum.Parse<ResetMode>(config.GetString("reset_mode")!), device)
        {
            InclusiveThreshold = config.GetBool("inclusive_threshold"),
            RefractorySteps = checked((int)config.GetInt("refractory_steps")),
            MaxSpikesPerStep = checked((int)config.GetInt("max_spikes_per_step")),
            ClipDecays = config.GetBool("clip_decays"),
            Alpha = (float)config.GetDouble("alpha"),
            Beta = (float)config.GetDouble("beta"),
            Gamma = (float)config.GetDouble("gamma"),
        };
        try
        {
            foreach (var name in (config.GetString("per_neuron") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                using var zeros = Tensor.Zeros([size], DType.Float32, device);
                if (name == "alpha") model.AlphaPerNeuron = zeros;
                else if (name == "beta") model.BetaPerNeuron = zeros;
                else if (name == "gamma") model.GammaPerNeuron = zeros;
                else throw new SnnArgumentException(ErrorCode.InvalidArgument, $"NeuronLayer configuration names an unknown per-neuron decay \"{name}\"; the file is damaged.");
            }
            if (config.GetBool("recurrent"))
            {
                using var zeros = Tensor.Zeros([size, size], DType.Float32, device);
                model.RecurrentWeight = zeros;
            }
            return new NeuronLayer(model, null, config.GetIntArray("shape"));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public override void ResetState()
    {
        _state?.Dispose();
        _state = null;
    }

    /// <inheritdoc/>
    protected override Signal ForwardCore(Signal input)
    {
        if (_state is not null && _state.Membrane.Shape[0] != input.BatchSize) ResetState();
        var flat = InputShape.Length == 1;
        using var view = flat ? null : input.Values.Reshape(input.Steps, input.BatchSize, _model.Size);
        var output = _model.Forward(view ?? input.Values, _state, record: Recording.Count > 0);
        _state?.Dispose();
        _state = output.State;
        foreach (var (name, tensor) in Kinds(output))
        {
            if (tensor is null) continue;
            if (IsRecording(name)) SetRecorded(name, Shaped(tensor, input));
            else tensor.Dispose();
        }
        return new Signal(Shaped(output.Output, input));
    }

    /// <inheritdoc/>
    protected override void SetStateCore(string name, Tensor value)
    {
        if (value.DType != DType.Float32 || value.Shape.Length != 2 || value.Shape[1] != _model.Size)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Name}: state \"{name}\" must be float32 [batch, {_model.Size}], got {value.DType.ToString().ToLowerInvariant()} [{string.Join(", ", value.Shape)}].");
        _state ??= _model.InitialState(checked((int)value.Shape[0])); // rest, then the given variable
        if (_state.Membrane.Shape[0] != value.Shape[0])
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Name}: state \"{name}\" has batch {value.Shape[0]} but the layer's state has batch {_state.Membrane.Shape[0]}; call reset_state() first to change the batch size.");
        var state = State;
        if (!state.TryGetValue(name, out var target))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Name} has no state variable \"{name}\"; it has {string.Join(", ", state.Keys)}.");
        target.CopyFrom(value);
    }

    /// <inheritdoc/>
    protected override void DisposeCore()
    {
        ResetState();
        _model.Dispose();
    }

    private IEnumerable<(string Name, bool Used)> Kinds() =>
    [
        ("membrane", true),
        ("current", _model.Kind == NeuronKind.CubaLif),
        ("adaptation", _model.Kind == NeuronKind.Alif),
        ("refractory", _model.RefractorySteps > 0 && _model.Kind != NeuronKind.Li),
    ];

    private static IEnumerable<(string Name, Tensor? Tensor)> Kinds(NeuronOutput output) =>
    [
        ("membrane", output.Membrane),
        ("current", output.Current),
        ("adaptation", output.Adaptation),
        ("refractory", output.Refractory),
    ];

    /// <summary><paramref name="tensor"/> [T, B, N] seen as [T, B, ...shape] (it is disposed; the view keeps the memory).</summary>
    private Tensor Shaped(Tensor tensor, Signal input)
    {
        if (InputShape.Length == 1) return tensor;
        using (tensor) return tensor.Reshape(input.Values.Shape);
    }

    private static long[] ShapeOf(NeuronModel model, long[]? shape)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (shape is null) return [model.Size];
        if (shape.Length == 0 || shape.Any(d => d <= 0) || Tensor.ElementCountOf(shape) != model.Size)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"shape [{string.Join(", ", shape)}] must hold exactly the model's {model.Size} neurons; pass dimensions whose product is {model.Size}.");
        return (long[])shape.Clone();
    }
}
