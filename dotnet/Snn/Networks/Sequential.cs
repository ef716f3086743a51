namespace Snn.Networks;

/// <summary>
/// Layers run one after the other over the whole [T, B, ...] sequence: each layer sees every step of the previous
/// layer's output (the fast path: a connection computes all T*B steps with one GEMM or convolution, a neuron layer
/// runs its recurrence per neuron). Shapes are checked when the network is built.
/// </summary>
[LayerType("Sequential")]
public sealed class Sequential : Container
{
    /// <summary>Chains <paramref name="layers"/> (at least one), which the network now owns.</summary>
    public Sequential(params Layer[] layers) : this(layers, null) { }

    /// <summary>Chains <paramref name="layers"/> under <paramref name="name"/>.</summary>
    public Sequential(IReadOnlyList<Layer> layers, string? name)
        : base(Checked(layers), layers[0].InputShape, layers[^1].OutputShape, layers[0].Device, name)
    {
    }

    /// <inheritdoc/>
    public override LayerConfig Config => new LayerConfig(TypeName).Set("layers", Layers.Select(l => l.Describe()));

    /// <summary>Rebuilds the chain from <paramref name="config"/>.</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        var layers = LayerRegistry.CreateAll(config.GetConfigs("layers"), device);
        try
        {
            return new Sequential(layers, null);
        }
        catch
        {
            foreach (var layer in layers) layer.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    protected override Signal ForwardCore(Signal input)
    {
        var current = input;
        try
        {
            foreach (var layer in Layers)
            {
                var next = layer.Forward(current);
                if (!ReferenceEquals(current, input)) current.Dispose();
                current = next;
                RecordOutput(layer, current);
            }
            return current;
        }
        catch
        {
            if (!ReferenceEquals(current, input)) current.Dispose();
            throw;
        }
    }

    private static IReadOnlyList<Layer> Checked(IReadOnlyList<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, "a Sequential network needs at least one layer.");
        RequireChildren(layers, layers[0].Device);
        for (var i = 1; i < layers.Count; i++)
        {
            var (a, b) = (layers[i - 1], layers[i]);
            if (!a.OutputShape.SequenceEqual(b.InputShape))
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"layer {i - 1} ({a.Name}) outputs [{string.Join(", ", a.OutputShape)}] per sample but layer {i} ({b.Name}) takes [{string.Join(", ", b.InputShape)}]; insert a Flatten or fix the sizes.");
        }
        return layers;
    }
}
