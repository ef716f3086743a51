using System.Globalization;
using Snn.Interop;
using Snn.Native;
using Snn.Networks;

namespace Snn.Connections;

/// <summary>
/// PySNN's <c>Conv2d</c> connection: activation potentials y[t] = conv2d(s[t - delay], W) (+ b) for presynaptic spikes
/// s [T, B, in_channels, H, W], with PyTorch's stride, zero padding, dilation and groups; output
/// [T, B, out_channels, H_out, W_out] with H_out = floor((H + 2 padding - dilation (kernel - 1) - 1) / stride) + 1.
/// Computed natively over all T * B images at once (im2col + BLAS on the CPU). Weights [out_channels,
/// in_channels / groups, kH, kW] start uniform in [0, 1) as in PySNN. Sizes are one int for both axes or a
/// (height, width) pair (all pairs in the second constructor).
/// </summary>
[LayerType("Conv2d")]
public unsafe class Conv2d : Connection
{
    private readonly long[] _stride, _padding, _dilation;

    /// <summary>Creates the connection with square kernel, stride, padding and dilation.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, (int Height, int Width) imDims, double dt = 1.0,
                  double delay = 0.0, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = false,
                  ulong seed = 0, Device? device = null, string? name = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), imDims, dt, delay, (stride, stride), (padding, padding),
               (dilation, dilation), groups, bias, seed, device, name) { }

    /// <summary>Creates the connection with (height, width) pairs; null stride, padding, dilation mean 1, 0, 1.</summary>
    public Conv2d(int inChannels, int outChannels, (int Height, int Width) kernelSize, (int Height, int Width) imDims,
                  double dt = 1.0, double delay = 0.0, (int Height, int Width)? stride = null, (int Height, int Width)? padding = null,
                  (int Height, int Width)? dilation = null, int groups = 1, bool bias = false, ulong seed = 0,
                  Device? device = null, string? name = null)
        : base([Linear.Positive(inChannels, nameof(inChannels)), Linear.Positive(imDims.Height, "imDims.Height"),
                Linear.Positive(imDims.Width, "imDims.Width")],
               OutputShapeOf(inChannels, outChannels, kernelSize, imDims, stride ?? (1, 1), padding ?? (0, 0), dilation ?? (1, 1), groups),
               [outChannels, inChannels / groups, kernelSize.Height, kernelSize.Width], bias, dt, delay, seed, device, name)
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        ImDims = imDims;
        Groups = groups;
        var s = stride ?? (1, 1);
        var p = padding ?? (0, 0);
        var d = dilation ?? (1, 1);
        _stride = [s.Height, s.Width];
        _padding = [p.Height, p.Width];
        _dilation = [d.Height, d.Width];
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel (height, width).</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>Input image (height, width).</summary>
    public (int Height, int Width) ImDims { get; }

    /// <summary>Stride (height, width).</summary>
    public (int Height, int Width) Stride => ((int)_stride[0], (int)_stride[1]);

    /// <summary>Zero padding on both sides (height, width).</summary>
    public (int Height, int Width) Padding => ((int)_padding[0], (int)_padding[1]);

    /// <summary>Spacing between kernel taps (height, width).</summary>
    public (int Height, int Width) Dilation => ((int)_dilation[0], (int)_dilation[1]);

    /// <summary>Channel groups: group g of the outputs sees only group g of the inputs.</summary>
    public int Groups { get; }

    /// <inheritdoc/>
    public override LayerConfig Config => WithBase(new LayerConfig(TypeName)
        .Set("in_channels", InChannels).Set("out_channels", OutChannels)
        .Set("kernel_size", [KernelSize.Height, KernelSize.Width]).Set("im_dims", [ImDims.Height, ImDims.Width])
        .Set("stride", _stride).Set("padding", _padding).Set("dilation", _dilation).Set("groups", Groups));

    /// <summary>Rebuilds a layer from its <see cref="Config"/>.</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        static (int, int) Pair(long[] v) => ((int)v[0], (int)v[1]);
        return new Conv2d((int)config.GetInt("in_channels"), (int)config.GetInt("out_channels"),
            Pair(config.GetIntArray("kernel_size")), Pair(config.GetIntArray("im_dims")), config.GetDouble("dt"),
            config.GetDouble("delay"), Pair(config.GetIntArray("stride")), Pair(config.GetIntArray("padding")),
            Pair(config.GetIntArray("dilation")), (int)config.GetInt("groups"), config.GetBool("bias"),
            (ulong)config.GetInt("seed"), device);
    }

    private protected override void Project(Tensor spikes, Tensor output)
    {
        fixed (long* s = _stride, p = _padding, d = _dilation)
            NativeCall.Check(Methods.snn_conv2d_forward(spikes.Pointer, Weight.Pointer, Bias is null ? null : Bias.Pointer,
                s, p, d, Groups, output.Pointer));
        GC.KeepAlive(spikes);
        GC.KeepAlive(output);
    }

    /// <summary>PyTorch's output size of one axis, or an exception saying the rule that failed.</summary>
    internal static long OutputSize(string what, string axis, long input, long kernel, long stride, long padding, long dilation, bool ceilMode = false)
    {
        if (kernel < 1 || stride < 1 || dilation < 1 || padding < 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, string.Create(CultureInfo.InvariantCulture,
                $"{what}: {axis} kernel {kernel}, stride {stride} and dilation {dilation} must be >= 1 and padding {padding} >= 0."));
        var span = dilation * (kernel - 1) + 1;
        var room = input + 2 * padding - span;
        if (room < 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, string.Create(CultureInfo.InvariantCulture,
                $"{what}: the {axis} kernel spans {span} positions (kernel {kernel}, dilation {dilation}) but the padded input has {input + 2 * padding} ({input} + 2 * padding {padding}); the kernel must not be larger than the padded input."));
        var output = (ceilMode ? room + stride - 1 : room) / stride + 1;
        if (ceilMode && (output - 1) * stride >= input + padding) output--;
        return output;
    }

    private static long[] OutputShapeOf(int inChannels, int outChannels, (int Height, int Width) kernel, (int Height, int Width) image,
                                        (int Height, int Width) stride, (int Height, int Width) padding, (int Height, int Width) dilation, int groups)
    {
        Linear.Positive(outChannels, nameof(outChannels));
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"Conv2d: groups = {groups} must be >= 1 and divide in_channels = {inChannels} and out_channels = {outChannels}.");
        return [outChannels,
            OutputSize("Conv2d", "vertical", image.Height, kernel.Height, stride.Height, padding.Height, dilation.Height),
            OutputSize("Conv2d", "horizontal", image.Width, kernel.Width, stride.Width, padding.Width, dilation.Width)];
    }
}
