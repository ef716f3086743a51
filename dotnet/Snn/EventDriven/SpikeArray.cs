using System.Collections;
using System.Text;

namespace Snn.EventDriven;

/// <summary>
/// A growable list of spikes, the input and output of <see cref="SpikingNetwork"/>. Inference needs it
/// sorted by time (<see cref="Sort"/>). Indices and times live in two arrays, handed to the native
/// simulator without per-spike conversion.
/// </summary>
public class SpikeArray : IReadOnlyList<Spike>, IEquatable<SpikeArray>
{
    private uint[] _indices;
    private float[] _times;
    private int _count;
    private bool _sorted = true;

    /// <summary>An empty array.</summary>
    public SpikeArray()
    {
        _indices = [];
        _times = [];
    }

    /// <summary>The spikes (indices[i], times[i]), in the given order; the arrays must have the same length.</summary>
    public SpikeArray(uint[] indices, float[] times) : this() => Add(indices, times);

    /// <summary>The given spikes, in order.</summary>
    public SpikeArray(IEnumerable<Spike> spikes) : this()
    {
        ArgumentNullException.ThrowIfNull(spikes);
        foreach (var spike in spikes) Add(spike.Index, spike.Time);
    }

    // Takes ownership of the arrays (results of the simulator, already sorted).
    internal SpikeArray(uint[] indices, float[] times, bool sorted)
    {
        _indices = indices;
        _times = times;
        _count = indices.Length;
        _sorted = sorted;
    }

    /// <summary>Number of spikes (EvSpikeSim's name; the same as <see cref="Count"/>).</summary>
    [PythonName("n_spikes")]
    public int NSpikes => _count;

    /// <summary>Number of spikes.</summary>
    public int Count => _count;

    /// <summary>The spike at <paramref name="index"/>.</summary>
    public Spike this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"the array holds {_count} spikes; pass an index in [0, {_count}).");
            return new Spike(_indices[index], _times[index]);
        }
    }

    /// <summary>A copy of the spikes' indices, in order.</summary>
    public uint[] Indices => _indices.AsSpan(0, _count).ToArray();

    /// <summary>A copy of the spikes' times in seconds, in order.</summary>
    public float[] Times => _times.AsSpan(0, _count).ToArray();

    internal ReadOnlySpan<uint> IndexSpan => _indices.AsSpan(0, _count);

    internal ReadOnlySpan<float> TimeSpan => _times.AsSpan(0, _count);

    /// <summary>Appends a spike.</summary>
    /// <exception cref="ArgumentException"><paramref name="time"/> is NaN.</exception>
    public void Add(uint index, float time)
    {
        RequireTime(time, _count);
        Grow(_count + 1);
        if (_count > 0 && time < _times[_count - 1]) _sorted = false;
        _indices[_count] = index;
        _times[_count] = time;
        _count++;
    }

    /// <summary>Appends a spike.</summary>
    public void Add(Spike spike) => Add(spike.Index, spike.Time);

    /// <summary>Appends the spikes (indices[i], times[i]); the arrays must have the same length.</summary>
    public void Add(uint[] indices, float[] times)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(times);
        if (indices.Length != times.Length)
            throw new ArgumentException($"indices has {indices.Length} entries but times has {times.Length}; pass one time per index.");
        for (var i = 0; i < times.Length; i++) RequireTime(times[i], i);
        Grow(_count + indices.Length);
        for (var i = 0; i < times.Length; i++)
        {
            if (_count + i > 0 && times[i] < _times[_count + i - 1]) _sorted = false;
            _indices[_count + i] = indices[i];
            _times[_count + i] = times[i];
        }
        _count += indices.Length;
    }

    /// <summary>Sorts by time; spikes at the same time by index.</summary>
    public void Sort()
    {
        if (_count < 2)
        {
            _sorted = true;
            return;
        }
        // One 64-bit key per spike: the time's bits mapped to an unsigned order, then the index.
        var keys = new ulong[_count];
        for (var i = 0; i < _count; i++) keys[i] = (ulong)OrderedBits(_times[i]) << 32 | _indices[i];
        Array.Sort(keys);
        for (var i = 0; i < _count; i++)
        {
            _indices[i] = (uint)keys[i];
            _times[i] = FromOrderedBits((uint)(keys[i] >> 32));
        }
        _sorted = true;
    }

    /// <summary>Whether the times never decrease, which <see cref="SpikingNetwork.Infer(SpikeArray)"/> requires.</summary>
    public bool IsSorted() => _sorted;

    /// <summary>Removes every spike.</summary>
    public void Clear()
    {
        _count = 0;
        _sorted = true;
    }

    /// <summary>Same number of spikes, each equal to its counterpart (same index, times within <see cref="Spike.Epsilon"/>).</summary>
    public bool Equals(SpikeArray? other)
    {
        if (other is null || other._count != _count) return false;
        for (var i = 0; i < _count; i++)
            if (_indices[i] != other._indices[i] || !(MathF.Abs(_times[i] - other._times[i]) < Spike.Epsilon)) return false;
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as SpikeArray);

    /// <summary>Hashes the count and the indices, so that equal arrays hash alike.</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_count);
        foreach (var index in IndexSpan) hash.Add(index);
        return hash.ToHashCode();
    }

    /// <summary>Both null, or equal.</summary>
    public static bool operator ==(SpikeArray? left, SpikeArray? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Not equal.</summary>
    public static bool operator !=(SpikeArray? left, SpikeArray? right) => !(left == right);

    /// <summary>The spikes in order.</summary>
    public IEnumerator<Spike> GetEnumerator()
    {
        for (var i = 0; i < _count; i++) yield return new Spike(_indices[i], _times[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The count and up to the first ten spikes.</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"SpikeArray({_count} spikes");
        for (var i = 0; i < Math.Min(_count, 10); i++) text.Append(i == 0 ? ": " : ", ").Append($"({_indices[i]}, {_times[i]})");
        if (_count > 10) text.Append(", ...");
        return text.Append(')').ToString();
    }

    private static void RequireTime(float time, int position)
    {
        if (float.IsNaN(time))
            throw new ArgumentException($"spike {position} has time NaN; spike times must be numbers (seconds from the start of the sample).");
    }

    private void Grow(int needed)
    {
        if (needed <= _indices.Length) return;
        var capacity = Math.Max(needed, Math.Max(16, _indices.Length * 2));
        Array.Resize(ref _indices, capacity);
        Array.Resize(ref _times, capacity);
    }

    // Monotone map of floats (no NaN) onto unsigned integers: negatives flip, positives get the top bit.
    private static uint OrderedBits(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        return (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;
    }

    private static float FromOrderedBits(uint ordered) =>
        BitConverter.UInt32BitsToSingle((ordered & 0x80000000u) != 0 ? ordered & 0x7FFFFFFFu : ~ordered);
}
