using Snn.Interop;
using Snn.Native;
using Snn.Networks;

namespace Snn.Connections;

/// <summary>
/// PySNN's <c>MaxPool2d</c>: max pooling of spikes [T, B, channels, H, W] with PyTorch's kernel, stride (default: the
/// kernel), padding (at most half the kernel; padded positions never win), dilation and ceil mode. When the input
/// signal carries a trace, the output carries the trace of each window's winning input; ties, such as several spikes
/// in one window, go to the first position in row-major order (the top-left one), so a window without spikes passes
/// on the trace of its first position, as in PySNN. No state, no parameters.
/// </summary>
[LayerType("MaxPool2d")]
public sealed unsafe class MaxPool2d : Layer
{
    private readonly long[] _kernel, _stride, _padding, _dilation;

    /// <summary>Creates the pooling of <paramref name="channels"/> images of <paramref name="imDims"/> (height, width)
    /// with a square kernel; the stride defaults to the kernel size.</summary>
    public MaxPool2d(int kernelSize, (int Height, int Width) imDims, int channels = 1, int? stride = null, int padding = 0,
                     int dilation = 1, bool ceilMode = false, Device? device = null, string? name = null)
        : this((kernelSize, kernelSize), imDims, channels, stride is int s ? (s, s) : null, (padding, padding),
               (dilation, dilation), ceilMode, device, name) { }

    /// <summary>Creates the pooling with (height, width) pairs; null stride, padding, dilation mean the kernel, 0, 1.</summary>
    public MaxPool2d((int Height, int Width) kernelSize, (int Height, int Width) imDims, int channels = 1,
                     (int Height, int Width)? stride = null, (int Height, int Width)? padding = null,
                     (int Height, int Width)? dilation = null, bool ceilMode = false, Device? device = null, string? name = null)
        : base(PoolShapes.Input(channels, imDims),
               PoolShapes.Output("MaxPool2d", channels, imDims, kernelSize, stride ?? kernelSize, padding ?? (0, 0), dilation ?? (1, 1), ceilMode),
               device, name)
    {
        _kernel = [kernelSize.Height, kernelSize.Width];
        var s = stride ?? kernelSize;
        var p = padding ?? (0, 0);
        var d = dilation ?? (1, 1);
        _stride = [s.Height, s.Width];
        _padding = [p.Height, p.Width];
        _dilation = [d.Height, d.Width];
        CeilMode = ceilMode;
    }

    /// <summary>Kernel (height, width).</summary>
    public (int Height, int Width) KernelSize => ((int)_kernel[0], (int)_kernel[1]);

    /// <summary>Stride (height, width).</summary>
    public (int Height, int Width) Stride => ((int)_stride[0], (int)_stride[1]);

    /// <summary>Implicit padding on both sides (height, width).</summary>
    public (int Height, int Width) Padding => ((int)_padding[0], (int)_padding[1]);

    /// <summary>Spacing between window positions (height, width).</summary>
    public (int Height, int Width) Dilation => ((int)_dilation[0], (int)_dilation[1]);

    /// <summary>Whether the output size rounds up (PyTorch's ceil_mode).</summary>
    public bool CeilMode { get; }

    /// <inheritdoc/>
    public override LayerConfig Config => PoolShapes.Base(this, new LayerConfig(TypeName))
        .Set("kernel_size", _kernel).Set("stride", _stride).Set("padding", _padding).Set("dilation", _dilation).Set("ceil_mode", CeilMode);

    /// <summary>Rebuilds a layer from its <see cref="Config"/>.</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new MaxPool2d(PoolShapes.Pair(config, "kernel_size"), PoolShapes.Pair(config, "im_dims"), (int)config.GetInt("channels"),
            PoolShapes.Pair(config, "stride"), PoolShapes.Pair(config, "padding"), PoolShapes.Pair(config, "dilation"),
            config.GetBool("ceil_mode"), device);
    }

    /// <inheritdoc/>
    public override bool SpikingInput => true;

    /// <inheritdoc/>
    public override bool SpikingOutput => true;

    /// <summary>No state: nothing to reset.</summary>
    public override void ResetState() { }

    /// <inheritdoc/>
    protected override Signal ForwardCore(Signal input) => PoolShapes.Run(this, input, (x, t, y, to) =>
    {
        fixed (long* k = _kernel, s = _stride, p = _padding, d = _dilation)
            NativeCall.Check(Methods.snn_max_pool2d(x.Pointer, t is null ? null : t.Pointer, k, s, p, d, CeilMode ? 1 : 0,
                y.Pointer, to is null ? null : to.Pointer));
    });

    /// <inheritdoc/>
    protected override void DisposeCore() { }
}

/// <summary>
/// PySNN's <c>AdaptiveMaxPool2d</c>: max pooling of [T, B, channels, H, W] to a fixed (height, width) output with
/// PyTorch's bins (output row i covers input rows floor(i H / H_out) to ceil((i + 1) H / H_out) - 1, likewise for
/// columns), carrying the winning input's trace with ties to the first (top-left) position, as
/// <see cref="MaxPool2d"/> does.
/// </summary>
[LayerType("AdaptiveMaxPool2d")]
public sealed unsafe class AdaptiveMaxPool2d : Layer
{
    /// <summary>Creates the pooling to a square <paramref name="outputSize"/>.</summary>
    public AdaptiveMaxPool2d(int outputSize, (int Height, int Width) imDims, int channels = 1, Device? device = null, string? name = null)
        : this((outputSize, outputSize), imDims, channels, device, name) { }

    /// <summary>Creates the pooling to <paramref name="outputSize"/> (height, width), each at least 1.</summary>
    public AdaptiveMaxPool2d((int Height, int Width) outputSize, (int Height, int Width) imDims, int channels = 1,
                             Device? device = null, string? name = null)
        : base(PoolShapes.Input(channels, imDims),
               [channels, Linear.Positive(outputSize.Height, "outputSize.Height"), Linear.Positive(outputSize.Width, "outputSize.Width")],
               device, name) => OutputSize = outputSize;

    /// <summary>Output (height, width).</summary>
    public (int Height, int Width) OutputSize { get; }

    /// <inheritdoc/>
    public override LayerConfig Config =>
        PoolShapes.Base(this, new LayerConfig(TypeName)).Set("output_size", [OutputSize.Height, OutputSize.Width]);

    /// <summary>Rebuilds a layer from its <see cref="Config"/>.</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new AdaptiveMaxPool2d(PoolShapes.Pair(config, "output_size"), PoolShapes.Pair(config, "im_dims"),
            (int)config.GetInt("channels"), device);
    }

    /// <inheritdoc/>
    public override bool SpikingInput => true;

    /// <inheritdoc/>
    public override bool SpikingOutput => true;

    /// <summary>No state: nothing to reset.</summary>
    public override void ResetState() { }

    /// <inheritdoc/>
    protected override Signal ForwardCore(Signal input) => PoolShapes.Run(this, input, (x, t, y, to) =>
        NativeCall.Check(Methods.snn_adaptive_max_pool2d(x.Pointer, t is null ? null : t.Pointer, y.Pointer, to is null ? null : to.Pointer)));

    /// <inheritdoc/>
    protected override void DisposeCore() { }
}

/// <summary>
/// Average pooling of [T, B, channels, H, W] as torch.nn.AvgPool2d (zero padding of at most half the kernel; the
/// divisor is the kernel area, or with <see cref="CountIncludePad"/> false the positions inside the input). Not in
/// PySNN; a trace given with the input is averaged over the same windows.
/// </summary>
[LayerType("AvgPool2d")]
public sealed unsafe class AvgPool2d : Layer
{
    private readonly long[] _kernel, _stride, _padding;

    /// <summary>Creates the pooling with a square kernel; the stride defaults to the kernel size.</summary>
    public AvgPool2d(int kernelSize, (int Height, int Width) imDims, int channels = 1, int? stride = null, int padding = 0,
                     bool countIncludePad = true, Device? device = null, string? name = null)
        : this((kernelSize, kernelSize), imDims, channels, stride is int s ? (s, s) : null, (padding, padding), countIncludePad, device, name) { }

    /// <summary>Creates the pooling with (height, width) pairs; null stride and padding mean the kernel and 0.</summary>
    public AvgPool2d((int Height, int Width) kernelSize, (int Height, int Width) imDims, int channels = 1,
                     (int Height, int Width)? stride = null, (int Height, int Width)? padding = null, bool countIncludePad = true,
                     Device? device = null, string? name = null)
        : base(PoolShapes.Input(channels, imDims),
               PoolShapes.Output("AvgPool2d", channels, imDims, kernelSize, stride ?? kernelSize, padding ?? (0, 0), (1, 1), false),
               device, name)
    {
        _kernel = [kernelSize.Height, kernelSize.Width];
        var s = stride ?? kernelSize;
        var p = padding ?? (0, 0);
        _stride = [s.Height, s.Width];
        _padding = [p.Height, p.Width];
        CountIncludePad = countIncludePad;
    }

    /// <summary>Kernel (height, width).</summary>
    public (int Height, int Width) KernelSize => ((int)_kernel[0], (int)_kernel[1]);

    /// <summary>Stride (height, width).</summary>
    public (int Height, int Width) Stride => ((int)_stride[0], (int)_stride[1]);

    /// <summary>Zero padding on both sides (height, width).</summary>
    public (int Height, int Width) Padding => ((int)_padding[0], (int)_padding[1]);

    /// <summary>Whether padded positions count in the divisor (PyTorch's default, true).</summary>
    public bool CountIncludePad { get; }

    /// <inheritdoc/>
    public override LayerConfig Config => PoolShapes.Base(this, new LayerConfig(TypeName))
        .Set("kernel_size", _kernel).Set("stride", _stride).Set("padding", _padding).Set("count_include_pad", CountIncludePad);

    /// <summary>Rebuilds a layer from its <see cref="Config"/>.</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new AvgPool2d(PoolShapes.Pair(config, "kernel_size"), PoolShapes.Pair(config, "im_dims"), (int)config.GetInt("channels"),
            PoolShapes.Pair(config, "stride"), PoolShapes.Pair(config, "padding"), config.GetBool("count_include_pad"), device);
    }

    /// <inheritdoc/>
    public override bool SpikingInput => true;

    /// <summary>No state: nothing to reset.</summary>
    public override void ResetState() { }

    /// <inheritdoc/>
    protected override Signal ForwardCore(Signal input) => PoolShapes.Run(this, input, (x, t, y, to) =>
    {
        fixed (long* k = _kernel, s = _stride, p = _padding)
        {
            NativeCall.Check(Methods.snn_avg_pool2d(x.Pointer, k, s, p, CountIncludePad ? 1 : 0, y.Pointer));
            if (t is not null) NativeCall.Check(Methods.snn_avg_pool2d(t.Pointer, k, s, p, CountIncludePad ? 1 : 0, to!.Pointer));
        }
    });

    /// <inheritdoc/>
    protected override void DisposeCore() { }
}

/// <summary>Shapes, configuration and the forward pass shared by the pooling layers.</summary>
internal static class PoolShapes
{
    internal static long[] Input(int channels, (int Height, int Width) image) =>
        [Linear.Positive(channels, "channels"), Linear.Positive(image.Height, "imDims.Height"), Linear.Positive(image.Width, "imDims.Width")];

    internal static long[] Output(string what, int channels, (int Height, int Width) image, (int Height, int Width) kernel,
                                  (int Height, int Width) stride, (int Height, int Width) padding, (int Height, int Width) dilation, bool ceilMode)
    {
        if (padding.Height > kernel.Height / 2 || padding.Width > kernel.Width / 2)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{what}: padding ({padding.Height}, {padding.Width}) must be at most half the kernel ({kernel.Height}, {kernel.Width}) (PyTorch's rule); use less padding or a larger kernel.");
        return [channels,
            Conv2d.OutputSize(what, "vertical", image.Height, kernel.Height, stride.Height, padding.Height, dilation.Height, ceilMode),
            Conv2d.OutputSize(what, "horizontal", image.Width, kernel.Width, stride.Width, padding.Width, dilation.Width, ceilMode)];
    }

    internal static LayerConfig Base(Layer layer, LayerConfig config)
    {
        var shape = layer.InputShape;
        return config.Set("channels", shape[0]).Set("im_dims", [shape[1], shape[2]]);
    }

    internal static (int, int) Pair(LayerConfig config, string key)
    {
        var v = config.GetIntArray(key);
        return ((int)v[0], (int)v[1]);
    }

    /// <summary>Allocates the output (and output trace when the input has one) and runs <paramref name="pool"/>
    /// (input, trace or null, output, output trace or null).</summary>
    internal static Signal Run(Layer layer, Signal input, Action<Tensor, Tensor?, Tensor, Tensor?> pool)
    {
        var x = input.Values;
        var shape = x.Shape;
        long[] outShape = [shape[0], shape[1], .. layer.OutputShape];
        var y = x.NewOutputLike(outShape);
        Tensor? traceOut = null;
        try
        {
            if (input.Trace is not null) traceOut = x.NewOutputLike(outShape);
            pool(x, input.Trace, y, traceOut);
            GC.KeepAlive(input);
            return new Signal(y, traceOut);
        }
        catch
        {
            y.Dispose();
            traceOut?.Dispose();
            throw;
        }
    }
}
