namespace Snn.Networks;

/// <summary>
/// A network of layers with branches, merges (inputs summed) and recurrent edges, built with
/// <see cref="GraphBuilder"/>. Without recurrent edges every layer runs once over the whole [T, B, ...] sequence
/// (the fast path, as in <see cref="Sequential"/>); with them the graph runs step by step, each recurrent edge
/// delivering its source's output of the previous step (zeros at the first step after a reset). Merged traces are
/// summed when every input carries one, and dropped otherwise.
/// </summary>
[LayerType("Graph")]
public sealed class Graph : Container
{
    private readonly string[][] _inputs;
    private readonly (string From, string To)[] _recurrent;
    private readonly string _output;
    private readonly Dictionary<string, Signal> _last = new(StringComparer.Ordinal); // recurrent sources' last step

    internal Graph(IReadOnlyList<Layer> layers, IReadOnlyList<string[]> inputs, IReadOnlyList<(string, string)> recurrent,
        long[] inputShape, string output, Device device, string? name)
        : base(layers, inputShape, layers.First(l => l.Name == output).OutputShape, device, name)
    {
        _inputs = [.. inputs.Select(i => (string[])i.Clone())];
        _recurrent = [.. recurrent];
        _output = output;
    }

    /// <summary>The layer whose output is the graph's output.</summary>
    public string Output => _output;

    /// <summary>The inputs of each layer, in layer order (<see cref="GraphBuilder.InputName"/> is the network input).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Inputs => _inputs;

    /// <summary>The recurrent edges (from, to): to receives from's output of the previous step.</summary>
    public IReadOnlyList<(string From, string To)> RecurrentEdges => _recurrent;

    /// <inheritdoc/>
    public override bool SpikingInput =>
        Layers.Where((_, i) => _inputs[i].Contains(GraphBuilder.InputName)).Select(l => l.SpikingInput).FirstOrDefault();

    /// <inheritdoc/>
    public override bool SpikingOutput => Layers.First(l => l.Name == _output).SpikingOutput;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> State
    {
        get
        {
            var result = new Dictionary<string, Tensor>(base.State, StringComparer.Ordinal);
            foreach (var (from, signal) in _last) result[$"{from}.last_output"] = signal.Values;
            return result;
        }
    }

    /// <inheritdoc/>
    public override LayerConfig Config => new LayerConfig(TypeName)
        .Set("input_shape", InputShape)
        .Set("output", _output)
        .Set("layers", Layers.Select(l => l.Describe()))
        .Set("inputs", string.Join(" ", _inputs.Select(i => string.Join(",", i))))
        .Set("recurrent", string.Join(" ", _recurrent.Select(e => $"{e.From},{e.To}")));

    /// <summary>Rebuilds the graph from <paramref name="config"/>.</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        var layers = LayerRegistry.CreateAll(config.GetConfigs("layers"), device);
        try
        {
            var inputs = (config.GetString("inputs") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (inputs.Length != layers.Length)
                throw new SnnArgumentException(ErrorCode.InvalidArgument, $"Graph configuration lists inputs for {inputs.Length} layers but has {layers.Length}; the file is damaged.");
            var builder = new GraphBuilder(config.GetIntArray("input_shape"), device);
            for (var i = 0; i < layers.Length; i++) builder.Add(layers[i], inputs[i].Split(','));
            foreach (var edge in (config.GetString("recurrent") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var ends = edge.Split(',');
                if (ends.Length != 2) throw new SnnArgumentException(ErrorCode.InvalidArgument, $"Graph configuration has a malformed recurrent edge \"{edge}\"; the file is damaged.");
                builder.AddRecurrent(ends[0], ends[1]);
            }
            return builder.Build(config.GetString("output"));
        }
        catch
        {
            foreach (var layer in layers) layer.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public override void ResetState()
    {
        base.ResetState();
        ClearLast();
    }

    /// <inheritdoc/>
    protected override void SetStateCore(string name, Tensor value)
    {
        const string suffix = ".last_output";
        if (name.EndsWith(suffix, StringComparison.Ordinal) && _recurrent.Any(e => e.From == name[..^suffix.Length]))
        {
            var from = name[..^suffix.Length];
            var expected = this[from].OutputShape;
            if (value.DType != DType.Float32 || value.Rank != expected.Length + 2 || value.Shape[0] != 1 || !value.Shape.AsSpan(2).SequenceEqual(expected))
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{Name}: state \"{name}\" must be float32 [1, batch, {string.Join(", ", expected)}], got [{string.Join(", ", value.Shape)}].");
            if (_last.Remove(from, out var old)) old.Dispose();
            _last[from] = new Signal(value.To(Device));
            return;
        }
        base.SetStateCore(name, value);
    }

    /// <inheritdoc/>
    protected override Signal ForwardCore(Signal input) => _recurrent.Length == 0 ? RunWhole(input) : RunSteps(input);

    /// <inheritdoc/>
    protected override void DisposeCore()
    {
        ClearLast();
        base.DisposeCore();
    }

    private Signal RunWhole(Signal input)
    {
        var outputs = new Dictionary<string, Signal>(StringComparer.Ordinal) { [GraphBuilder.InputName] = input };
        try
        {
            for (var i = 0; i < Layers.Count; i++)
            {
                var layer = Layers[i];
                using var merged = Merge(_inputs[i].Select(s => outputs[s]).ToList());
                var result = layer.Forward(merged);
                outputs[layer.Name] = result;
                RecordOutput(layer, result);
            }
            var output = outputs[_output];
            outputs.Remove(_output);
            return output;
        }
        finally
        {
            foreach (var (key, signal) in outputs)
                if (key != GraphBuilder.InputName) signal.Dispose();
        }
    }

    private Signal RunSteps(Signal input)
    {
        var steps = input.Steps;
        if (_last.Count > 0 && _last.Values.First().BatchSize != input.BatchSize) ResetState();
        var incoming = _recurrent.ToLookup(e => e.To, e => e.From);
        var sources = _recurrent.Select(e => e.From).ToHashSet(StringComparer.Ordinal);
        var outputShape = new long[] { steps, input.BatchSize }.Concat(OutputShape).ToArray();
        Tensor? values = null, trace = null;
        var recordings = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            values = Tensor.Zeros(outputShape, DType.Float32, Device);
            for (long t = 0; t < steps; t++)
            {
                using var stepValues = input.Values.Slice(t, 1);
                using var stepTrace = input.Trace?.Slice(t, 1);
                var outputs = new Dictionary<string, Signal>(StringComparer.Ordinal) { [GraphBuilder.InputName] = new Signal(stepValues, stepTrace, owns: false) };
                try
                {
                    for (var i = 0; i < Layers.Count; i++)
                    {
                        var layer = Layers[i];
                        var parts = _inputs[i].Select(s => outputs[s])
                            .Concat(incoming[layer.Name].Where(_last.ContainsKey).Select(s => _last[s])).ToList();
                        using var merged = Merge(parts);
                        var result = layer.Forward(merged);
                        outputs[layer.Name] = result;
                        CollectStep(layer, result, t, steps, recordings);
                    }
                    var output = outputs[_output];
                    using (var slot = values.Slice(t, 1)) slot.CopyFrom(output.Values);
                    if (output.Trace is { } tr)
                    {
                        trace ??= Tensor.Zeros(outputShape, DType.Float32, Device);
                        using var slot = trace.Slice(t, 1);
                        slot.CopyFrom(tr);
                    }
                    foreach (var from in sources)
                    {
                        if (_last.Remove(from, out var old)) old.Dispose();
                        _last[from] = outputs[from];
                        outputs.Remove(from);
                    }
                }
                finally
                {
                    foreach (var signal in outputs.Values) signal.Dispose();
                }
            }
            foreach (var (key, tensor) in recordings) SetRecorded(key, tensor);
            recordings.Clear();
            var signalOut = new Signal(values, trace);
            values = trace = null;
            return signalOut;
        }
        finally
        {
            values?.Dispose();
            trace?.Dispose();
            foreach (var tensor in recordings.Values) tensor.Dispose();
        }
    }

    /// <summary>Copies step <paramref name="t"/> of what <paramref name="layer"/> output or recorded into the
    /// [T, B, ...] buffers of the variables this graph records.</summary>
    private void CollectStep(Layer layer, Signal result, long t, long steps, Dictionary<string, Tensor> recordings)
    {
        var wanted = new List<(string Key, Tensor Step)>();
        if (IsRecording($"{layer.Name}.output")) wanted.Add(($"{layer.Name}.output", result.Values));
        foreach (var (variable, tensor) in layer.Recorded) wanted.Add(($"{layer.Name}.{variable}", tensor));
        foreach (var (key, step) in wanted)
        {
            if (!recordings.TryGetValue(key, out var buffer))
            {
                var shape = step.Shape;
                shape[0] = steps;
                recordings[key] = buffer = Tensor.Zeros(shape, step.DType, Device);
            }
            using var slot = buffer.Slice(t, step.Shape[0]);
            slot.CopyFrom(step);
        }
    }

    /// <summary>The sum of <paramref name="parts"/>: the part itself when there is one (borrowed), else a new signal.</summary>
    private static Signal Merge(List<Signal> parts)
    {
        if (parts.Count == 1) return new Signal(parts[0].Values, parts[0].Trace, owns: false);
        var values = parts[0].Values.Clone();
        Tensor? trace = null;
        try
        {
            foreach (var part in parts.Skip(1)) values.Add(part.Values);
            if (parts.All(p => p.Trace is not null))
            {
                trace = parts[0].Trace!.Clone();
                foreach (var part in parts.Skip(1)) trace.Add(part.Trace!);
            }
            return new Signal(values, trace);
        }
        catch
        {
            values.Dispose();
            trace?.Dispose();
            throw;
        }
    }

    private void ClearLast()
    {
        foreach (var signal in _last.Values) signal.Dispose();
        _last.Clear();
    }
}
