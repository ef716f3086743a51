using Snn.Networks;

namespace Snn.Neurons;

/// <summary>
/// Runs a <see cref="NeuronModel"/> population: [T, B, ...shape] input currents to spikes (LI: membrane) through
/// <see cref="NeuronModel.Forward"/>, the <see cref="NeuronState"/> kept from one call to the next. Parameters:
/// "alpha", "beta", "gamma", "input_scale" (when per-neuron) and "recurrent_weight"; state [B, N]: "membrane", "current",
/// "adaptation", "refractory", "spikes" as the model uses them; records "membrane" (pre-reset), "current"
/// (CuBaLIF), "adaptation" (ALIF), "refractory".
/// </summary>
internal sealed class FamilyRunner(Population population, NeuronModel model) : PopulationRunner(population)
{
    private NeuronState? _state;

    public override bool SpikingInput => false;

    public override bool SpikingOutput => model.Kind != NeuronKind.Li; // a leaky integrator outputs its membrane

    public override IReadOnlyList<string> Recordable => Kinds().Where(k => k.Used).Select(k => k.Name).ToArray();

    public override IReadOnlyDictionary<string, Tensor> Parameters
    {
        get
        {
            var result = new Dictionary<string, Tensor>();
            if (model.AlphaPerNeuron is { } a) result["alpha"] = a;
            if (model.BetaPerNeuron is { } b) result["beta"] = b;
            if (model.GammaPerNeuron is { } g) result["gamma"] = g;
            if (model.InputScalePerNeuron is { } s) result["input_scale"] = s;
            if (model.RecurrentWeight is { } w) result["recurrent_weight"] = w;
            return result;
        }
    }

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

    protected override void ResetCore()
    {
        _state?.Dispose();
        _state = null;
    }

    public override Signal Forward(Signal input)
    {
        if (_state is not null && _state.Membrane.Shape[0] != input.BatchSize) ResetState();
        var flat = Population.InputShape.Length == 1;
        using var view = flat ? null : input.Values.Reshape(input.Steps, input.BatchSize, model.Size);
        var output = model.Forward(view ?? input.Values, _state, record: Population.Recording.Count > 0);
        _state?.Dispose();
        _state = output.State;
        foreach (var (name, tensor) in Kinds(output))
        {
            if (tensor is null) continue;
            if (Population.Records(name)) Population.Keep(name, Shaped(tensor, input));
            else tensor.Dispose();
        }
        return new Signal(Shaped(output.Output, input));
    }

    public override void SetState(string name, Tensor value)
    {
        var who = Population.Name;
        if (value.DType != DType.Float32 || value.Shape.Length != 2 || value.Shape[1] != model.Size)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{who}: state \"{name}\" must be float32 [batch, {model.Size}], got {value.DType.ToString().ToLowerInvariant()} [{string.Join(", ", value.Shape)}].");
        _state ??= model.InitialState(checked((int)value.Shape[0])); // rest, then the given variable
        if (_state.Membrane.Shape[0] != value.Shape[0])
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{who}: state \"{name}\" has batch {value.Shape[0]} but the layer's state has batch {_state.Membrane.Shape[0]}; call reset_state() first to change the batch size.");
        var state = State;
        if (!state.TryGetValue(name, out var target))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{who} has no state variable \"{name}\"; it has {string.Join(", ", state.Keys)}.");
        target.CopyFrom(value);
    }

    private IEnumerable<(string Name, bool Used)> Kinds() =>
    [
        ("membrane", true),
        ("current", model.Kind == NeuronKind.CubaLif),
        ("adaptation", model.Kind == NeuronKind.Alif),
        ("refractory", model.RefractorySteps > 0 && model.Kind != NeuronKind.Li),
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
        if (Population.InputShape.Length == 1) return tensor;
        using (tensor) return tensor.Reshape(input.Values.Shape);
    }
}
