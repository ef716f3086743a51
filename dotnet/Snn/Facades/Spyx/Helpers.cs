// Spyx's helpers around neuron layers (spyx.nn.ActivityRegularization, PopulationCode, SumPool, sum_pool).
// C# holds the shapes and options; the sums run natively (snn_spike_count, snn_population_code, snn_sum_pool).
using Snn.Interop;
using Snn.Native;
using Snn.Neurons;

namespace Snn.Spyx;

/// <summary>
/// Spyx's ActivityRegularization: counts the spikes each neuron emits, per batch row, over every sequence given
/// to <see cref="Accumulate"/> (the spikes themselves go on unchanged), for spike-count regularisers.
/// </summary>
public sealed unsafe class ActivityRegularization : IDisposable
{
    /// <summary>Spike counts [B, N] so far, on the device of the spikes; null before the first <see cref="Accumulate"/>.</summary>
    public Tensor? SpikeCount { get; private set; }

    /// <summary>Adds the spikes of every step of <paramref name="spikes"/> [T, B, N] to <see cref="SpikeCount"/>.</summary>
    public void Accumulate(Tensor spikes)
    {
        ArgumentNullException.ThrowIfNull(spikes);
        var shape = NeuronModel.RequireSequence(spikes, nameof(spikes));
        if (SpikeCount is { } counts && (counts.Device != spikes.Device || !counts.Shape.SequenceEqual(shape[1..])))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"the spike counts so far are [{string.Join(", ", counts.Shape)}] on {counts.Device.Kind}:{counts.Device.Ordinal}, but these spikes are [{string.Join(", ", shape)}] on {spikes.Device.Kind}:{spikes.Device.Ordinal}; call Reset() before counting another shape or device.");
        var created = SpikeCount is null;
        SpikeCount ??= spikes.NewLike(shape[1..]);
        try
        {
            NativeCall.Check(Methods.snn_spike_count(spikes.Pointer, SpikeCount.Pointer));
        }
        catch
        {
            if (created) Reset();
            throw;
        }
        GC.KeepAlive(spikes);
    }

    /// <summary>Forgets the counts (the next <see cref="Accumulate"/> starts from zero).</summary>
    public void Reset()
    {
        SpikeCount?.Dispose();
        SpikeCount = null;
    }

    /// <summary>Releases the counts.</summary>
    public void Dispose() => Reset();
}

/// <summary>
/// Spyx's PopulationCode: the preceding layer's neurons, a multiple of <see cref="NumClasses"/>, are cut into
/// <see cref="NumClasses"/> groups of consecutive neurons, and each group's activity is summed into its class.
/// </summary>
public sealed unsafe class PopulationCode
{
    /// <summary>Creates the code for <paramref name="numClasses"/> classes (at least 1).</summary>
    public PopulationCode(int numClasses)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        NumClasses = numClasses;
    }

    /// <summary>Number of classes C.</summary>
    public int NumClasses { get; }

    /// <summary>Sums input [..., C * K] into [..., C]: class c gets neurons c * K .. c * K + K - 1.</summary>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape;
        if (shape.Length == 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, "PopulationCode.Forward needs an input of rank >= 1 whose last axis holds the neurons.");
        shape[^1] = NumClasses;
        var output = input.NewLike(shape);
        try
        {
            NativeCall.Check(Methods.snn_population_code(input.Pointer, NumClasses, output.Pointer));
        }
        catch
        {
            output.Dispose();
            throw;
        }
        GC.KeepAlive(input);
        return output;
    }
}

/// <summary>Padding of <see cref="SumPool"/>; values match <c>snn_padding</c>.</summary>
public enum Padding
{
    /// <summary>Windows lie inside the input: out = floor((in - window) / stride) + 1.</summary>
    Valid = 0,
    /// <summary>out = ceil(in / stride), zeros padded around the input (the lower side gets half, rounded down).</summary>
    Same = 1,
}

/// <summary>
/// Spyx's SumPool (Haiku's pooling with a sum): the total of every receptive field, e.g. the spikes a patch emitted.
/// An integer window or stride applies to every axis but the first (batch) and the channel axis; a shorter list
/// is padded with leading 1s; a full list gives every axis.
/// </summary>
public sealed unsafe class SumPool
{
    /// <summary>Creates the pooling with per-axis window and strides.</summary>
    public SumPool(int[] windowShape, int[] strides, Padding padding = Padding.Valid, int? channelAxis = -1)
    {
        ArgumentNullException.ThrowIfNull(windowShape);
        ArgumentNullException.ThrowIfNull(strides);
        if (!Enum.IsDefined(padding))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"padding {(int)padding} is not a Padding; pass Valid or Same.");
        WindowShape = [.. windowShape];
        Strides = [.. strides];
        Padding = padding;
        ChannelAxis = channelAxis;
    }

    /// <summary>Creates the pooling with one window size and stride for the spatial axes.</summary>
    public SumPool(int windowShape, int strides, Padding padding = Padding.Valid, int? channelAxis = -1)
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
    public Padding Padding { get; }

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
            outShape[d] = Padding == Padding.Same ? (shape[d] + strides[d] - 1) / Math.Max(strides[d], 1)
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

    private static Padding ParsePadding(string padding) => padding?.ToUpperInvariant() switch
    {
        "VALID" => Padding.Valid,
        "SAME" => Padding.Same,
        _ => throw new SnnArgumentException(ErrorCode.InvalidArgument, $"padding \"{padding}\" is unknown; pass \"VALID\" or \"SAME\"."),
    };
}

/// <summary>Spyx's module-level functions (spyx.nn.sum_pool).</summary>
public static class Functions
{
    /// <summary>Spyx's sum_pool: <c>new SumPool(windowShape, strides, padding, channelAxis).Forward(value)</c>.</summary>
    public static Tensor SumPool(Tensor value, int[] windowShape, int[] strides, string padding, int? channelAxis = -1) =>
        new SumPool(windowShape, strides, padding, channelAxis).Forward(value);

    /// <summary>Spyx's sum_pool with one window size and stride for the spatial axes.</summary>
    public static Tensor SumPool(Tensor value, int windowShape, int strides, string padding, int? channelAxis = -1) =>
        new SumPool(windowShape, strides, padding, channelAxis).Forward(value);
}
