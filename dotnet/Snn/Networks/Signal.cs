using System.Collections;

namespace Snn.Networks;

/// <summary>
/// What flows from one clock-driven layer to the next: <see cref="Values"/> [T, B, ...] (spikes, currents or
/// activation potentials) and, for PySNN-style layers, the presynaptic <see cref="Trace"/> of the same shape that
/// travels with the spikes. A signal made with the public constructor owns its tensors: disposing it disposes them.
/// </summary>
public sealed class Signal : IDisposable, IEnumerable<Tensor?>
{
    /// <summary>Wraps <paramref name="values"/> and an optional <paramref name="trace"/> of the same shape; the
    /// signal takes ownership of both.</summary>
    public Signal(Tensor values, Tensor? trace = null) : this(values, trace, owns: true) { }

    /// <summary>A signal that disposes its tensors only when <paramref name="owns"/> (false: borrowed for one call).</summary>
    internal Signal(Tensor values, Tensor? trace, bool owns)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (trace is not null && !trace.Shape.SequenceEqual(values.Shape))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"trace [{string.Join(", ", trace.Shape)}] must have the shape of the values [{string.Join(", ", values.Shape)}]; pass one trace value per spike.");
        Values = values;
        Trace = trace;
        _owns = owns;
    }

    private readonly bool _owns;

    /// <summary>[T, B, ...]: the quantity the next layer consumes.</summary>
    public Tensor Values { get; }

    /// <summary>[T, B, ...] presynaptic trace that goes with <see cref="Values"/>, or null.</summary>
    public Tensor? Trace { get; }

    /// <summary>Number of time steps T (the first axis).</summary>
    public long Steps => Values.Shape[0];

    /// <summary>Batch size B (the second axis).</summary>
    public long BatchSize => Values.Shape[1];

    /// <summary>The values and the trace, so that a signal unpacks as PySNN's <c>(x, trace)</c> pair:
    /// <c>var (x, trace) = signal</c> in C#.</summary>
    public void Deconstruct(out Tensor values, out Tensor? trace) => (values, trace) = (Values, Trace);

    /// <summary>Yields <see cref="Values"/> then <see cref="Trace"/>, so Python unpacks a signal as PySNN's users unpack
    /// a layer's result: <c>x, trace = layer(x, trace)</c>.</summary>
    IEnumerator<Tensor?> IEnumerable<Tensor?>.GetEnumerator()
    {
        yield return Values;
        yield return Trace;
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<Tensor?>)this).GetEnumerator();

    /// <summary>Releases the values and the trace.</summary>
    public void Dispose()
    {
        if (!_owns) return;
        Values.Dispose();
        Trace?.Dispose();
    }
}
