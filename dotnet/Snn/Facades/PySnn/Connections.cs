// PySNN's connections (pysnn.connection) with its positional argument orders: thin subclasses of the core
// connections and pools (Snn.Connections), which hold every computation.
using Snn.Networks;

namespace Snn.PySnn;

/// <summary>
/// PySNN's <c>Linear(in_features, out_features, batch_size, dt, delay)</c>: the core <see cref="Connections.Linear"/>
/// (weights [out, in] uniform in [0, 1), a delay of whole steps, no bias) that takes only batches of
/// <c>batch_size</c>. Forward takes presynaptic spikes [T, B, in] as float32, uint8 or bool.
/// </summary>
public sealed class Linear : Connections.Linear
{
    /// <summary>PySNN's positional arguments; <paramref name="delay"/> is a whole multiple of <paramref name="dt"/>.</summary>
    public Linear(int inFeatures, int outFeatures, int batchSize, double dt, double delay, bool bias = false, ulong seed = 0,
        Device? device = null, string? name = null)
        : base(inFeatures, outFeatures, dt, delay, bias, seed, device, name) => BatchSize = batchSize;

    /// <summary>PySNN's <c>forward(x, trace_in)</c> from Python as <c>layer(x, trace_in)</c>: spikes of any numeric or
    /// bool dtype [T, B, in], and the presynaptic trace; returns the activation potentials.</summary>
    [PythonName("__call__")]
    public Signal Invoke(Array x, Array? traceIn = null) => Spikes.Forward(this, x, traceIn);
}

/// <summary>
/// PySNN's <c>Conv2d(in_channels, out_channels, kernel_size, im_dims, batch_size, dt, delay, stride=1, padding=0,
/// dilation=1)</c>: the core <see cref="Connections.Conv2d"/> that takes only batches of <c>batch_size</c>.
/// </summary>
public sealed class Conv2d : Connections.Conv2d
{
    /// <summary>PySNN's positional arguments with a square kernel.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, (int Height, int Width) imDims, int batchSize, double dt,
        double delay, int stride = 1, int padding = 0, int dilation = 1, bool bias = false, ulong seed = 0, Device? device = null,
        string? name = null)
        : base(inChannels, outChannels, kernelSize, imDims, dt, delay, stride, padding, dilation, 1, bias, seed, device, name) =>
        BatchSize = batchSize;

    /// <summary>PySNN's positional arguments with (height, width) pairs.</summary>
    public Conv2d(int inChannels, int outChannels, (int Height, int Width) kernelSize, (int Height, int Width) imDims, int batchSize,
        double dt, double delay, (int Height, int Width)? stride = null, (int Height, int Width)? padding = null,
        (int Height, int Width)? dilation = null, bool bias = false, ulong seed = 0, Device? device = null, string? name = null)
        : base(inChannels, outChannels, kernelSize, imDims, dt, delay, stride, padding, dilation, 1, bias, seed, device, name) =>
        BatchSize = batchSize;

    /// <summary>PySNN's <c>forward(x, trace_in)</c> from Python as <c>layer(x, trace_in)</c> (spikes of any numeric or bool dtype).</summary>
    [PythonName("__call__")]
    public Signal Invoke(Array x, Array? traceIn = null) => Spikes.Forward(this, x, traceIn);
}

/// <summary>
/// PySNN's <c>MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False)</c>: like PySNN's, it learns
/// the image size from its input, so it is called on [T, B, channels, H, W] spikes with their trace rather than placed
/// in a network; each input shape runs a core <see cref="Connections.MaxPool2d"/> (ties to the first, top-left input).
/// </summary>
public sealed class MaxPool2d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
    : ShapedPool((channels, dims) => new Connections.MaxPool2d(kernelSize, dims, channels, stride, padding, dilation, ceilMode))
{
    /// <summary>Kernel size.</summary>
    public int KernelSize => kernelSize;

    /// <summary>Stride (the kernel size when null).</summary>
    public int Stride => stride ?? kernelSize;
}

/// <summary>PySNN's <c>AdaptiveMaxPool2d(output_size)</c>: the core <see cref="Connections.AdaptiveMaxPool2d"/> for each
/// input shape, called on [T, B, channels, H, W] spikes with their trace.</summary>
public sealed class AdaptiveMaxPool2d(int outputSize)
    : ShapedPool((channels, dims) => new Connections.AdaptiveMaxPool2d(outputSize, dims, channels))
{
    /// <summary>Output height and width.</summary>
    public int OutputSize => outputSize;
}

/// <summary>A pool whose image size comes from its input, as PySNN's pools do: one core pooling layer per input shape.</summary>
public abstract class ShapedPool(Func<int, (int Height, int Width), Layer> make) : IDisposable
{
    private readonly Dictionary<(long, long, long), Layer> _pools = [];

    /// <summary>PySNN's <c>forward(x, trace)</c>: pools [T, B, channels, H, W] spikes (float32, uint8 or bool) and carries
    /// the winning inputs' trace; returns the pooled spikes and trace.</summary>
    [PythonName("__call__")]
    public Signal Forward(Array x, Array? trace = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 5)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{GetType().Name} takes spikes [time, batch, channels, height, width], got rank {x.Rank}; add the missing axes.");
        var key = ((long)x.GetLength(2), (long)x.GetLength(3), (long)x.GetLength(4));
        if (!_pools.TryGetValue(key, out var pool))
            _pools[key] = pool = make(x.GetLength(2), (x.GetLength(3), x.GetLength(4)));
        return Spikes.Forward(pool, x, trace);
    }

    /// <summary>Releases the pooling layers.</summary>
    public void Dispose()
    {
        foreach (var pool in _pools.Values) pool.Dispose();
        _pools.Clear();
    }
}

/// <summary>PySNN passes spikes as uint8 or bool tensors: they become float32 at the boundary, as arrays from Python do.</summary>
internal static class Spikes
{
    public static Signal Forward(Layer layer, Array x, Array? trace)
    {
        using var values = Float32(x, layer.Device, "x");
        using var traceIn = trace is null ? null : Float32(trace, layer.Device, "trace");
        return layer.Forward(values, traceIn);
    }

    private static Tensor Float32(Array a, Device device, string what)
    {
        long[] shape = [.. Enumerable.Range(0, a.Rank).Select(r => (long)a.GetLength(r))];
        var values = Timed.ArrayData.Doubles(a, what);
        return Tensor.FromArray(values.Select(v => (float)v).ToArray(), shape, device);
    }
}
