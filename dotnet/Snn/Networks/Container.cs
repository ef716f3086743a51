namespace Snn.Networks;

/// <summary>
/// What <see cref="Sequential"/> and <see cref="Graph"/> share: named child layers (owned: disposed with the
/// container), their parameters and state under "child.name" keys, and recording of any child's output
/// ("child.output") or variables ("child.membrane", "child.trace", ...).
/// </summary>
public abstract class Container : Layer
{
    private readonly List<Layer> _children;
    private readonly Dictionary<string, Layer> _byName = new(StringComparer.Ordinal);

    /// <summary>Takes ownership of <paramref name="children"/>; duplicate names get suffixes "_1", "_2", ...</summary>
    protected Container(IReadOnlyList<Layer> children, long[] inputShape, long[] outputShape, Device device, string? name)
        : base(inputShape, outputShape, device, name)
    {
        _children = [.. children];
        foreach (var child in _children)
        {
            if (child.Name.Contains('.'))
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"layer name \"{child.Name}\" contains '.', which separates layer and variable names in networks; rename the layer.");
            if (_byName.ContainsKey(child.Name))
            {
                var k = 1;
                while (_byName.ContainsKey($"{child.Name}_{k}")) k++;
                child.Name = $"{child.Name}_{k}";
            }
            _byName[child.Name] = child;
        }
    }

    /// <summary>Checks that <paramref name="layers"/> are usable children: not null, not disposed, distinct, on
    /// <paramref name="device"/>.</summary>
    protected static void RequireChildren(IReadOnlyList<Layer> layers, Device device)
    {
        var seen = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        foreach (var layer in layers)
        {
            ArgumentNullException.ThrowIfNull(layer);
            ObjectDisposedException.ThrowIf(layer.IsDisposed, layer);
            if (!seen.Add(layer))
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"layer {layer.Name} appears twice; a layer object can sit in one place of a network only (create another for a second use).");
            if (layer.Device != device)
                throw new DeviceMismatchException($"layer {layer.Name} lives on {layer.Device} but the network on {device}; create every layer on one device.");
        }
    }

    /// <summary>The child layers, in order.</summary>
    public IReadOnlyList<Layer> Layers => _children;

    /// <summary>Number of child layers.</summary>
    public int Count => _children.Count;

    /// <summary>The child at <paramref name="index"/>.</summary>
    public Layer this[int index] => _children[index];

    /// <summary>The child named <paramref name="name"/>.</summary>
    public Layer this[string name] => _byName.TryGetValue(name, out var layer) ? layer
        : throw new KeyNotFoundException($"no layer named \"{name}\"; the network has {string.Join(", ", _byName.Keys)}.");

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Parameters => Flatten(c => c.Parameters);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> State => Flatten(c => c.State);

    /// <inheritdoc/>
    public override IReadOnlyList<string> Recordable =>
        _children.SelectMany(c => new[] { $"{c.Name}.output" }.Concat(c.Recordable.Select(v => $"{c.Name}.{v}"))).ToArray();

    /// <inheritdoc/>
    public override void Record(params string[] variables)
    {
        base.Record(variables); // validates, and keeps the "x.output" entries for this container
        foreach (var child in _children)
        {
            var prefix = child.Name + ".";
            child.Record(variables.Where(v => v.StartsWith(prefix, StringComparison.Ordinal) && v != prefix + "output")
                .Select(v => v[prefix.Length..]).ToArray());
        }
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Recorded
    {
        get
        {
            var result = new Dictionary<string, Tensor>(base.Recorded);
            foreach (var (key, value) in Flatten(c => c.Recorded)) result.TryAdd(key, value);
            return result;
        }
    }

    /// <inheritdoc/>
    public override void ResetState()
    {
        foreach (var child in _children) child.ResetState();
    }

    /// <inheritdoc/>
    internal override string CurrentName(string savedName)
    {
        var dot = savedName.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && _byName.TryGetValue(savedName[..dot], out var child)
            ? $"{savedName[..dot]}.{child.CurrentName(savedName[(dot + 1)..])}"
            : savedName;
    }

    /// <inheritdoc/>
    protected override void SetStateCore(string name, Tensor value)
    {
        var dot = name.IndexOf('.');
        if (dot <= 0 || !_byName.TryGetValue(name[..dot], out var child))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Name}: state \"{name}\" does not start with a layer name and '.'; the layers are {string.Join(", ", _byName.Keys)}.");
        child.SetState(name[(dot + 1)..], value);
    }

    /// <summary>Keeps a copy of a child's output when "child.output" is recorded.</summary>
    protected void RecordOutput(Layer child, Signal output)
    {
        var key = $"{child.Name}.output";
        if (IsRecording(key)) SetRecorded(key, output.Values.Clone());
    }

    /// <inheritdoc/>
    protected override void DisposeCore()
    {
        foreach (var child in _children) child.Dispose();
    }

    private Dictionary<string, Tensor> Flatten(Func<Layer, IReadOnlyDictionary<string, Tensor>> select)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var child in _children)
            foreach (var (key, value) in select(child))
                result[$"{child.Name}.{key}"] = value;
        return result;
    }
}
