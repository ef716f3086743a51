namespace Snn.Networks;

/// <summary>
/// Describes a <see cref="Graph"/>: layers added in an order where each one's inputs are already there (the network
/// input is named <see cref="InputName"/>), plus recurrent edges that feed a layer's output back to any layer one
/// time step later. Several inputs of one layer are summed (a merge); one output feeding several layers is a branch.
/// </summary>
public sealed class GraphBuilder
{
    /// <summary>The name of the network's input in <see cref="Add"/>.</summary>
    public const string InputName = "input";

    private readonly List<Layer> _layers = [];
    private readonly List<string[]> _inputs = [];
    private readonly List<(string From, string To)> _recurrent = [];
    private readonly Dictionary<string, long[]> _shapes = new(StringComparer.Ordinal);
    private bool _built;

    /// <summary>Starts a graph whose input is [T, B, ...<paramref name="inputShape"/>] on <paramref name="device"/>.</summary>
    public GraphBuilder(long[] inputShape, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        InputShape = (long[])inputShape.Clone();
        Device = device ?? Device.Default;
        _shapes[InputName] = InputShape;
    }

    /// <summary>Per-sample shape of the network input.</summary>
    public long[] InputShape { get; }

    /// <summary>The device every layer must live on.</summary>
    public Device Device { get; }

    /// <summary>
    /// Adds <paramref name="layer"/> (the graph will own it) fed by the sum of <paramref name="inputs"/>: names of
    /// layers added before, or <see cref="InputName"/>; none means the layer added last (or the input, for the first).
    /// </summary>
    public GraphBuilder Add(Layer layer, params string[] inputs)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(inputs);
        RequireOpen();
        ObjectDisposedException.ThrowIf(layer.IsDisposed, layer);
        if (_layers.Any(l => ReferenceEquals(l, layer)))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"layer {layer.Name} was added already; create another layer for a second use.");
        if (layer.Device != Device)
            throw new DeviceMismatchException($"layer {layer.Name} lives on {layer.Device} but the graph on {Device}; create every layer on one device.");
        if (layer.Name.IndexOfAny(['.', ',', ' ']) >= 0 || layer.Name == InputName)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"layer name \"{layer.Name}\" cannot be used in a graph (no '.', ',', spaces, and not \"{InputName}\"); set layer.Name first.");
        if (_shapes.ContainsKey(layer.Name))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"a layer named \"{layer.Name}\" is in the graph already; give each layer its own name.");
        var sources = inputs.Length > 0 ? inputs : [_layers.Count > 0 ? _layers[^1].Name : InputName];
        foreach (var source in sources)
        {
            if (!_shapes.TryGetValue(source, out var shape))
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"layer {layer.Name} takes input from \"{source}\", which is not in the graph yet (it has {string.Join(", ", _shapes.Keys)}); add layers after their inputs, and use AddRecurrent for feedback.");
            RequireShape(source, shape, layer);
        }
        _layers.Add(layer);
        _inputs.Add([.. sources]);
        _shapes[layer.Name] = layer.OutputShape;
        return this;
    }

    /// <summary>Feeds the output of layer <paramref name="from"/> at step t into layer <paramref name="to"/> at step t + 1
    /// (added to its other inputs). The graph then runs step by step.</summary>
    public GraphBuilder AddRecurrent(string from, string to)
    {
        RequireOpen();
        var source = _layers.FirstOrDefault(l => l.Name == from) ?? throw Unknown(from);
        var target = _layers.FirstOrDefault(l => l.Name == to) ?? throw Unknown(to);
        RequireShape(from, source.OutputShape, target);
        if (_recurrent.Contains((from, to)))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"the recurrent edge {from} -> {to} exists already.");
        _recurrent.Add((from, to));
        return this;
    }

    /// <summary>Builds the graph whose output is layer <paramref name="output"/> (the layer added last when null).</summary>
    public Graph Build(string? output = null, string? name = null)
    {
        RequireOpen();
        if (_layers.Count == 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, "a graph needs at least one layer; call Add first.");
        output ??= _layers[^1].Name;
        if (!_layers.Any(l => l.Name == output)) throw Unknown(output);
        var graph = new Graph(_layers, _inputs, _recurrent, InputShape, output, Device, name);
        _built = true;
        return graph;
    }

    private void RequireOpen()
    {
        if (_built) throw new InvalidOperationException("this GraphBuilder has built its graph already; start a new one.");
    }

    private static void RequireShape(string source, long[] shape, Layer target)
    {
        if (!shape.SequenceEqual(target.InputShape))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{source} outputs [{string.Join(", ", shape)}] per sample but {target.Name} ({target.TypeName}) takes [{string.Join(", ", target.InputShape)}]; insert a Flatten or fix the sizes.");
    }

    private SnnArgumentException Unknown(string name) => new(ErrorCode.InvalidArgument,
        $"no layer named \"{name}\" in the graph (it has {string.Join(", ", _layers.Select(l => l.Name))}).");
}
