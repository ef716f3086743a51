using Snn.Interop;
using Snn.Native;

namespace Snn.Connections;

/// <summary>Padding of <see cref="SumPool"/>; values match <c>snn_padding</c>.</summary>
public enum SumPadding
{
    /// <summary>Windows lie inside the input: out = floor((in - window) / stride) + 1.</summary>
    Valid = 0,
    /// <summary>out = ceil(in / stride), zeros padded around the input (the lower side gets half, rounded down).</summary>
    Same = 1,
}

/// <summary>
/// Sum pooling as Haiku and Spyx do it: the total of every receptive field, e.g. the spikes a patch emitted.
/// An integer window or stride applies to every axis but the first (batch) and the channel axis; a shorter list
/// is padded with leading 1s; a full list gives every axis.
/// </summary>
public unsafe class SumPool
{
    /// <summary>Creates the pooling with per-axis window and strides.</summary>
    public SumPool(int[] windowShape, int[] strides, SumPadding padding = SumPadding.Valid, int? channelAxis = -1)
    {
        ArgumentNullException.ThrowIfNull(windowShape);
        ArgumentNullException.ThrowIfNull(strides);
        if (!Enum.IsDefined(padding))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"padding {(int)padding} is not a SumPadding; pass Valid or Same.");
        WindowShape = [.. windowShape];
        Strides = [.. strides];
        Padding = padding;
        ChannelAxis = channelAxis;
    }

    /// <summary>Creates the pooling with one window size and stride for the spatial axes.</summary>
    public SumPool(int windowShape, int strides, SumPadding padding = SumPadding.Valid, int? channelAxis = -1)
        : this([windowShape], [strides], padding, channelAxis) => IsUniform = true;

    /// <summary>Creates the pooling with Spyx's padding names, "VALID" or "SAME".</summary>
    public SumPool(int[] windowShape, int[] strides, string padding, int? channelAxis = -1)
        : this(windowShape, strides, ParsePadding(padding), channelAxis)
    {
    }

    /// <summary>Creates the pooling with one window size and stride and Spyx's padding names, "VALID" or "SAME".</summary>
    public SumPool(int windowShape, int strides, string padding, int? channelAxis = -1)
        : this(windowShape, strides, ParsePadding(padding), channelAxis)
    {
    }

    /// <summary>The window as given (one value when <see cref="IsUniform"/>).</summary>
    public IReadOnlyList<int> WindowShape { get; }

    /// <summary>The strides as given (one value when <see cref="IsUniform"/>).</summary>
    public IReadOnlyList<int> Strides { get; }

    /// <summary>Whether one window size and stride were given for every spatial axis.</summary>
    public bool IsUniform { get; }

    /// <summary>VALID or SAME.</summary>
    public SumPadding Padding { get; }

    /// <summary>The axis that is never pooled when the window is one integer (negative counts from the end), or null.</summary>
    public int? ChannelAxis { get; }

    /// <summary>The pooled sums of <paramref name="value"/> (float32, any rank up to 8), a new tensor.</summary>
    public Tensor Forward(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var shape = value.Shape;
        var window = Infer(WindowShape, shape.Length, nameof(WindowShape));
        var strides = Infer(Strides, shape.Length, nameof(Strides));
        var outShape = new long[shape.Length];
        for (var d = 0; d < shape.Length; d++)
            outShape[d] = Padding == SumPadding.Same ? (shape[d] + strides[d] - 1) / Math.Max(strides[d], 1)
                        : shape[d] >= window[d] ? (shape[d] - window[d]) / Math.Max(strides[d], 1) + 1 : 0;
        var output = value.NewLike(outShape);
        try
        {
            fixed (long* w = window)
            fixed (long* s = strides)
                NativeCall.Check(Methods.snn_sum_pool(value.Pointer, w, s, (int)Padding, output.Pointer));
        }
        catch
        {
            output.Dispose();
            throw;
        }
        GC.KeepAlive(value);
        return output;
    }

    /// <summary>Haiku's rule: one integer pools every axis but batch and channels; a shorter list gets leading 1s.</summary>
    private long[] Infer(IReadOnlyList<int> given, int rank, string name)
    {
        if (rank == 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, "SumPool needs an input of rank >= 1.");
        if (IsUniform)
        {
            int? channel = ChannelAxis is { } c ? (c < 0 ? rank + c : c) : null;
            if (channel is { } ch && (ch < 0 || ch >= rank))
                throw new SnnArgumentException(ErrorCode.InvalidArgument, $"channel axis {ChannelAxis} does not exist in an input of rank {rank}; pass an axis in [-{rank}, {rank - 1}] or null.");
            return Enumerable.Range(0, rank).Select(d => d == 0 || d == channel ? 1L : given[0]).ToArray();
        }
        if (given.Count > rank)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{name} has {given.Count} entries but the input has rank {rank}; pass at most one per axis.");
        return Enumerable.Repeat(1L, rank - given.Count).Concat(given.Select(v => (long)v)).ToArray();
    }

    private static SumPadding ParsePadding(string padding) => padding?.ToUpperInvariant() switch
    {
        "VALID" => SumPadding.Valid,
        "SAME" => SumPadding.Same,
        _ => throw new SnnArgumentException(ErrorCode.InvalidArgument, $"padding \"{padding}\" is unknown; pass \"VALID\" or \"SAME\"."),
    };
}
