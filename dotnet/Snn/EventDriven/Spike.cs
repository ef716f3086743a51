namespace Snn.EventDriven;

/// <summary>
/// A spike: the index of the neuron (or input) that fired and its time in seconds. Spikes order by
/// time, as in EvSpikeSim; two spikes are equal when their indices are equal and their times differ
/// by less than <see cref="Epsilon"/> (EvSpikeSim compares the times only).
/// </summary>
public readonly struct Spike : IEquatable<Spike>, IComparable<Spike>
{
    /// <summary>Time difference below which two spikes of the same index are equal (EvSpikeSim's Spike::epsilon).</summary>
    public const float Epsilon = 1e-6f;

    /// <summary>A spike of neuron <paramref name="index"/> at <paramref name="time"/> seconds.</summary>
    public Spike(uint index, float time)
    {
        Index = index;
        Time = time;
    }

    /// <summary>Index of the neuron (in its layer) or input that fired.</summary>
    public uint Index { get; }

    /// <summary>Time of the spike in seconds.</summary>
    public float Time { get; }

    /// <summary>Same index, and times closer than <see cref="Epsilon"/>.</summary>
    public bool Equals(Spike other) => Index == other.Index && MathF.Abs(Time - other.Time) < Epsilon;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Spike other && Equals(other);

    /// <summary>Hashes the index only, so that equal spikes (times within <see cref="Epsilon"/>) hash alike.</summary>
    public override int GetHashCode() => Index.GetHashCode();

    /// <summary>Orders by time, then by index.</summary>
    public int CompareTo(Spike other)
    {
        var byTime = Time.CompareTo(other.Time);
        return byTime != 0 ? byTime : Index.CompareTo(other.Index);
    }

    /// <summary>EvSpikeSim's format: <c>Index: 3, Time: 0.0125</c>.</summary>
    public override string ToString() => $"Index: {Index}, Time: {Time}";

    /// <summary>Same index, and times closer than <see cref="Epsilon"/>.</summary>
    public static bool operator ==(Spike left, Spike right) => left.Equals(right);

    /// <summary>Different index, or times at least <see cref="Epsilon"/> apart.</summary>
    public static bool operator !=(Spike left, Spike right) => !left.Equals(right);

    /// <summary>Whether <paramref name="left"/> fired before <paramref name="right"/> (times only, as in EvSpikeSim).</summary>
    public static bool operator <(Spike left, Spike right) => left.Time < right.Time;

    /// <summary>Whether <paramref name="left"/> fired before or with <paramref name="right"/> (times only).</summary>
    public static bool operator <=(Spike left, Spike right) => left.Time <= right.Time;

    /// <summary>Whether <paramref name="left"/> fired after <paramref name="right"/> (times only).</summary>
    public static bool operator >(Spike left, Spike right) => left.Time > right.Time;

    /// <summary>Whether <paramref name="left"/> fired after or with <paramref name="right"/> (times only).</summary>
    public static bool operator >=(Spike left, Spike right) => left.Time >= right.Time;
}
