using Snn.Interop;
using Snn.Native;

namespace Snn.Neurons;

/// <summary>
/// Counts the spikes each neuron emits, per batch row, over every sequence given to <see cref="Accumulate"/> (the
/// spikes themselves go on unchanged), for spike-count regularisers (what Spyx's ActivityRegularization keeps).
/// </summary>
public unsafe class SpikeCounter : IDisposable
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
