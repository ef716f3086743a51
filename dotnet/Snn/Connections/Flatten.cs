using Snn.Networks;

namespace Snn.Connections;

/// <summary>
/// Flattens each sample of [T, B, ...<see cref="Layer.InputShape"/>] to [T, B, product of the shape], row-major (the
/// layout is unchanged, so this is one copy), for a <see cref="Linear"/> after convolutions or pooling. The trace, if
/// any, is flattened the same way.
/// </summary>
[LayerType("Flatten")]
public sealed class Flatten : Layer
{
    /// <summary>Creates the layer for samples of <paramref name="inputShape"/> (e.g. [channels, height, width]).</summary>
    public Flatten(long[] inputShape, Device? device = null, string? name = null)
        : base(inputShape ?? throw new ArgumentNullException(nameof(inputShape)), [Product(inputShape)], device, name) { }

    /// <inheritdoc/>
    public override LayerConfig Config => new LayerConfig(TypeName).Set("input_shape", InputShape);

    /// <summary>Rebuilds a layer from its <see cref="Config"/>.</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Flatten(config.GetIntArray("input_shape"), device);
    }

    /// <summary>No state: nothing to reset.</summary>
    public override void ResetState() { }

    /// <inheritdoc/>
    protected override Signal ForwardCore(Signal input)
    {
        var shape = input.Values.Shape;
        long[] outShape = [shape[0], shape[1], .. OutputShape];
        var values = Reshaped(input.Values, outShape);
        try
        {
            return new Signal(values, input.Trace is null ? null : Reshaped(input.Trace, outShape));
        }
        catch
        {
            values.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    protected override void DisposeCore() { }

    private static Tensor Reshaped(Tensor source, long[] shape)
    {
        var result = Tensor.Zeros(shape, source.DType, source.Device);
        try
        {
            result.CopyFrom(source);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private static long Product(long[] shape)
    {
        if (shape.Length == 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, "Flatten needs a sample shape with at least one axis, e.g. [channels, height, width].");
        long n = 1;
        foreach (var d in shape) n *= Math.Max(d, 1);
        return n;
    }
}
