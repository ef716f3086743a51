using Snn.Plotting;

namespace Snn.Timed;

/// <summary>
/// Rockpool's continuous time series: samples [T, C] at <see cref="TimeSeries.Times"/>, read at any time by
/// interpolation: "previous" (sample and hold, the default: the value at t is the last sample at or before t, held
/// until <see cref="TimeSeries.TStop"/>) or "linear" (between the first and last sample). Reading outside that range
/// throws unless the series is periodic.
/// </summary>
public sealed class TSContinuous : TimeSeries
{
    private const string Kind = "TSContinuous";
    private readonly double[,] _samples;

    /// <summary>
    /// Creates a series from <paramref name="times"/> [T] (non-decreasing seconds) and <paramref name="samples"/>
    /// [T, C] (or [T] for one channel). <paramref name="tStart"/> and <paramref name="tStop"/> default to the first
    /// and last time. <paramref name="interpKind"/> is "previous" or "linear".
    /// </summary>
    public TSContinuous(Array? times = null, Array? samples = null, bool periodic = false, double? tStart = null, double? tStop = null,
        string? name = "unnamed", string? units = null, string interpKind = "previous")
        : this(Prepare(times, samples, tStart, tStop, name ?? "unnamed", out var m, out var limits), m, periodic, limits.Start, limits.Stop,
            name ?? "unnamed", units, interpKind, validated: false)
    {
    }

    private TSContinuous(double[] times, double[,] samples, bool periodic, double tStart, double tStop, string name, string? units,
        string interpKind, bool validated)
        : base(times, periodic, tStart, tStop, name)
    {
        _samples = samples;
        Units = units;
        InterpKind = interpKind switch
        {
            "previous" or "linear" => interpKind,
            _ => throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Kind} `{name}`: interp_kind \"{interpKind}\" is not supported; use \"previous\" (sample and hold) or \"linear\"."),
        };
        if (periodic && times.Length > 0 && !(tStop > tStart))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Kind} `{name}`: a periodic series needs t_stop > t_start (its period), got [{F(tStart)}, {F(tStop)}].");
        _ = validated;
    }

    /// <summary>Samples [T, C] (a copy).</summary>
    public double[,] Samples => (double[,])_samples.Clone();

    /// <summary>Number of channels C.</summary>
    public int NumChannels => _samples.GetLength(1);

    /// <summary>Units of the samples, for plot labels (may be null).</summary>
    public string? Units { get; }

    /// <summary>"previous" or "linear".</summary>
    public string InterpKind { get; }

    /// <summary>
    /// Rockpool's from_clocked: <paramref name="samples"/> [T, C] taken every <paramref name="dt"/> from
    /// <paramref name="tStart"/>, each at the start of its bin: times tStart + i dt, t_stop = tStart + T dt.
    /// </summary>
    public static TSContinuous FromClocked(Array samples, double dt, double tStart = 0, bool periodic = false, string? name = null,
        string interpKind = "previous")
    {
        ArgumentNullException.ThrowIfNull(samples);
        var label = name ?? "unnamed";
        RequirePositive(dt, "dt", Kind, label);
        var m = ArrayData.Matrix(samples, $"{Kind} `{label}`: samples");
        var n = m.GetLength(0);
        if (n == 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind}.FromClocked: samples must not be empty; pass at least one time step.");
        var times = new double[n];
        for (var i = 0; i < n; i++) times[i] = i * dt + tStart;
        return new TSContinuous(times, m, periodic, tStart, times[^1] + dt, label, null, interpKind);
    }

    /// <summary>
    /// Samples the series on a clock: rows at tStart + i dt for i &lt; numTimesteps (defaults: <see cref="TimeSeries.TStart"/>
    /// and floor(duration / dt), the steps that start inside the series). The inverse of <see cref="FromClocked"/>.
    /// </summary>
    public double[,] ToClocked(double dt, double? tStart = null, long? numTimesteps = null)
    {
        RequirePositive(dt, "dt", Kind, Name);
        var start = tStart ?? TStart;
        var n = numTimesteps ?? (long)Math.Floor((TStop - start) / dt + 1e-9);
        if (n < 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind} `{Name}`: num_timesteps must be >= 0, got {n}.");
        var times = new double[n];
        for (var i = 0; i < n; i++) times[i] = i * dt + start;
        return Sample(times);
    }

    /// <summary>Rockpool's <c>ts(t)</c> from Python: the values [N, C] at each of <paramref name="times"/> (<see cref="Sample(Array)"/>).</summary>
    [PythonName("__call__")]
    public double[,] Invoke(Array times) => Sample(times);

    /// <summary>Rockpool's <c>ts(t)</c> for one time: the values [1, C] at <paramref name="t"/>.</summary>
    [PythonName("__call__")]
    public double[,] Invoke(double t) => Sample([t]);

    /// <summary>The values [C] at time <paramref name="t"/>.</summary>
    public double[] Sample(double t)
    {
        var m = Sample([t]);
        var row = new double[m.GetLength(1)];
        for (var c = 0; c < row.Length; c++) row[c] = m[0, c];
        return row;
    }

    /// <summary>The values [N, C] at each of <paramref name="times"/> (Rockpool's <c>ts(times)</c>). Throws when a
    /// time lies outside the range the series defines, unless it is periodic.</summary>
    public double[,] Sample(Array times)
    {
        ArgumentNullException.ThrowIfNull(times);
        return Sample(ArrayData.Vector(times, $"{Kind} `{Name}`: times"));
    }

    internal double[,] Sample(double[] query)
    {
        var channels = NumChannels;
        var result = new double[query.Length, channels];
        if (query.Length == 0) return result;
        if (_times.Length == 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Kind} `{Name}` is empty and cannot be sampled; give it at least one sample.");
        var first = _times[0];
        var last = InterpKind == "previous" ? TStop : _times[^1];
        var tol = Math.Min(Tolerance, 1e-6 * Duration);
        var period = Duration;
        var wrap = Periodic && period > 0;
        var span = ArrayData.Span(result);
        var hint = 0;
        var previousT = double.NegativeInfinity;
        for (var q = 0; q < query.Length; q++)
        {
            var t = query[q];
            if (double.IsNaN(t))
                throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind} `{Name}`: sample time {q} is NaN; pass finite times.");
            if (wrap) t = TStart + Mod(t - TStart, period);
            if (t < first) t = first - t <= tol ? first : throw OutOfRange(query[q], first, last);
            if (t > last) t = t - last <= tol ? last : throw OutOfRange(query[q], first, last);
            // Index of the last sample at or before t: walk forward from the previous query when times are sorted
            // (linear over a sorted request), binary search otherwise.
            int k;
            if (t >= previousT)
            {
                k = hint;
                var gallop = 0;
                while (k + 1 < _times.Length && _times[k + 1] <= t && ++gallop < 32) k++;
                if (k + 1 < _times.Length && _times[k + 1] <= t) k = Search(_times, t, right: true) - 1;
            }
            else k = Search(_times, t, right: true) - 1;
            k = Math.Max(k, 0);
            hint = k;
            previousT = t;
            var row = span.Slice(q * channels, channels);
            if (InterpKind == "linear" && k + 1 < _times.Length && t > _times[k])
            {
                var w = (t - _times[k]) / (_times[k + 1] - _times[k]);
                for (var c = 0; c < channels; c++) row[c] = _samples[k, c] + w * (_samples[k + 1, c] - _samples[k, c]);
            }
            else
            {
                for (var c = 0; c < channels; c++) row[c] = _samples[k, c];
            }
        }
        return result;
    }

    /// <summary>A series sampled at <paramref name="times"/> (non-decreasing), keeping <paramref name="channels"/>
    /// (all when null), with t_start and t_stop the first and last new time.</summary>
    public TSContinuous Resample(Array times, Array? channels = null)
    {
        ArgumentNullException.ThrowIfNull(times);
        return Resample(ArrayData.Vector(times, $"{Kind} `{Name}`: times"), channels is null ? null : ArrayData.Ints(channels, "channels"));
    }

    private TSContinuous Resample(double[] times, int[]? channels, double? tStart = null, double? tStop = null)
    {
        var all = Sample(times);
        var picked = channels is null ? all : PickChannels(all, channels);
        var (start, stop) = Limits(Kind, Name, times, tStart ?? (times.Length > 0 ? times[0] : TStart),
            tStop ?? (times.Length > 0 ? times[^1] : TStop), stopAfterLast: false);
        return new TSContinuous(times, picked, Periodic, start, stop, Name, Units, InterpKind, validated: true);
    }

    /// <summary>
    /// Rockpool's clip: the samples in [tStart, tStop) (and at tStop when <paramref name="includeStop"/>) of the chosen
    /// <paramref name="channels"/>; with <paramref name="sampleLimits"/> a sample is added at tStart and tStop where
    /// none is, so the clipped series reads the same as the original inside the limits. Periodic series are
    /// unrolled to cover the limits.
    /// </summary>
    public TSContinuous Clip(double? tStart = null, double? tStop = null, Array? channels = null, bool includeStop = true, bool sampleLimits = true)
    {
        var start = tStart ?? TStart;
        if (tStop is null) includeStop = true;
        var stop = tStop ?? TStop;
        if (!double.IsFinite(start) || !double.IsFinite(stop))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind} `{Name}`: clip limits must be finite, got [{start}, {stop}].");
        if (stop < start) (start, stop) = (stop, start);
        var source = Periodic && Duration > 0 ? Unroll(start, stop) : _times;
        var chosen = new List<double>();
        foreach (var t in source)
        {
            if ((t >= start && t < stop) || (includeStop && t == stop)) chosen.Add(t);
        }
        if (sampleLimits)
        {
            if (chosen.Count == 0 || chosen[0] > start) chosen.Insert(0, start);
            if (chosen.Count == 0 || (chosen[^1] < stop && includeStop)) chosen.Add(stop);
        }
        return Resample([.. chosen], channels is null ? null : ArrayData.Ints(channels, "channels"), start, stop);
    }

    /// <summary>A copy with every time (and the limits) shifted by <paramref name="offset"/> seconds.</summary>
    public TSContinuous Delay(double offset)
    {
        if (!double.IsFinite(offset))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind} `{Name}`: the delay must be finite, got {offset}.");
        var times = new double[_times.Length];
        for (var i = 0; i < times.Length; i++) times[i] = _times[i] + offset;
        return new TSContinuous(times, _samples, Periodic, TStart + offset, TStop + offset, Name, Units, InterpKind, validated: true);
    }

    /// <summary>Merges <paramref name="other"/> into this series by interleaving samples in time (stable: on equal
    /// times this series comes first). With <paramref name="removeDuplicates"/>, samples of the other series at a time
    /// this one already has are dropped. Both must have the same number of channels (or one be empty).</summary>
    public TSContinuous Merge(TSContinuous other, bool removeDuplicates = true) => Merge([other], removeDuplicates);

    /// <summary>Merges several series at once (see <see cref="Merge(TSContinuous, bool)"/>).</summary>
    public TSContinuous Merge(IEnumerable<TSContinuous> others, bool removeDuplicates = true)
    {
        ArgumentNullException.ThrowIfNull(others);
        var list = new List<TSContinuous> { this };
        list.AddRange(others.Select(s => s ?? throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind} `{Name}`: cannot merge null.")));
        var channels = list.Where(s => !(s.Count == 0 && s.NumChannels == 0)).Select(s => s.NumChannels).DefaultIfEmpty(0).Max();
        for (var i = 0; i < list.Count; i++)
        {
            var s = list[i];
            if (s.NumChannels != channels && !(s.Count == 0 && s.NumChannels == 0))
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{Kind} `{Name}`: merged series need the same number of channels ({channels}); series {i} (`{s.Name}`) has {s.NumChannels}. Use AppendC to add channels.");
        }
        var times = new List<double>();
        var rows = new List<(int Series, int Row)>();
        var seen = new HashSet<double>();
        for (var i = 0; i < list.Count; i++)
        {
            var s = list[i];
            for (var r = 0; r < s.Count; r++)
            {
                if (removeDuplicates && i > 0 && seen.Contains(s._times[r])) continue;
                times.Add(s._times[r]);
                rows.Add((i, r));
            }
            if (removeDuplicates) foreach (var t in s._times) seen.Add(t);
        }
        var order = Enumerable.Range(0, times.Count).OrderBy(k => times[k]).ToArray();   // stable
        var newTimes = new double[order.Length];
        var samples = new double[order.Length, channels];
        for (var k = 0; k < order.Length; k++)
        {
            newTimes[k] = times[order[k]];
            var (si, r) = rows[order[k]];
            for (var c = 0; c < channels; c++) samples[k, c] = list[si]._samples[r, c];
        }
        return new TSContinuous(newTimes, samples, Periodic, list.Min(s => s.TStart), list.Max(s => s.TStop), Name, Units, InterpKind,
            validated: true);
    }

    /// <summary>Appends the channels of <paramref name="other"/>, sampled at this series' times, after this series'
    /// channels.</summary>
    public TSContinuous AppendC(TSContinuous other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var extra = other.Sample(_times);
        var a = NumChannels;
        var b = extra.GetLength(1);
        var samples = new double[Count, a + b];
        for (var r = 0; r < Count; r++)
        {
            for (var c = 0; c < a; c++) samples[r, c] = _samples[r, c];
            for (var c = 0; c < b; c++) samples[r, a + c] = extra[r, c];
        }
        return new TSContinuous((double[])_times.Clone(), samples, Periodic, TStart, TStop, Name, Units, InterpKind, validated: true);
    }

    /// <summary>
    /// Appends <paramref name="other"/> in time: its t_start is moved to this series' t_stop plus
    /// <paramref name="offset"/>. Without an offset, Rockpool's rule: the median step of this series' times (0 when it
    /// has fewer than two samples or the other is empty).
    /// </summary>
    public TSContinuous AppendT(TSContinuous other, double? offset = null) => AppendT([other], offset is null ? null : [offset.Value]);

    /// <summary>Appends several series in time, each after the previous one (offsets per series; null entries or a
    /// null list use the median-step rule).</summary>
    public TSContinuous AppendT(IEnumerable<TSContinuous> others, IReadOnlyList<double>? offsets = null)
    {
        ArgumentNullException.ThrowIfNull(others);
        var list = others.ToList();
        if (list.Count == 0) return this;
        if (offsets is not null && offsets.Count != list.Count && offsets.Count != 1)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Kind} `{Name}`: give one offset or one per appended series ({list.Count}), got {offsets.Count}.");
        var delayed = new List<TSContinuous>();
        TimeSeries previous = this;
        var previousStop = TStop;
        for (var i = 0; i < list.Count; i++)
        {
            var s = list[i] ?? throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind} `{Name}`: cannot append null.");
            double offset = offsets is null
                ? (s.Count > 0 && previous.Count > 1 ? MedianStep(((TSContinuous)previous)._times) : 0)
                : offsets[offsets.Count == 1 ? 0 : i];
            var moved = s.Delay(offset + previousStop - s.TStart);
            delayed.Add(moved);
            previous = s;
            previousStop = moved.TStop;
        }
        return Merge(delayed, removeDuplicates: false);
    }

    /// <summary>
    /// Draws the series as a line plot (one colour per channel; steps for "previous" interpolation) and writes it to
    /// <paramref name="path"/> as PNG. Returns the chart, whose PixelX/PixelY say where data landed.
    /// </summary>
    public Chart Plot(string path, int width = 640, int height = 400, Array? channels = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var picked = channels is null ? Enumerable.Range(0, NumChannels).ToArray() : ArrayData.Ints(channels, "channels");
        CheckChannels(picked);
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var c in picked)
        {
            for (var r = 0; r < Count; r++)
            {
                var v = _samples[r, c];
                if (double.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
            }
        }
        if (lo > hi) (lo, hi) = (0, 1);
        var pad = (hi - lo) * 0.05;
        var chart = new Chart(width, height, TStart, TStop > TStart ? TStop : TStart + 1, lo - pad, hi + pad,
            Name == "unnamed" ? null : Name, "Time (s)", Units);
        var ys = new double[Count];
        for (var j = 0; j < picked.Length; j++)
        {
            for (var r = 0; r < Count; r++) ys[r] = _samples[r, picked[j]];
            chart.Line(_times, ys, Color.Palette[j % Color.Palette.Count], steps: InterpKind == "previous", holdUntil: TStop);
        }
        chart.Save(path);
        return chart;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{(Periodic ? "periodic" : "non-periodic")} TSContinuous `{Name}` from t={F(TStart)} to {F(TStop)}. Samples: {Count}. Channels: {NumChannels}";

    private double[] Unroll(double start, double stop)
    {
        var period = Duration;
        var first = (long)Math.Floor((start - TStart) / period);
        var last = (long)Math.Floor((stop - TStart) / period);
        var result = new List<double>();
        for (var k = first; k <= last; k++)
        {
            foreach (var t in _times)
            {
                var u = t + k * period;
                if (result.Count == 0 || u >= result[^1]) result.Add(u);
            }
        }
        return [.. result];
    }

    private double[,] PickChannels(double[,] all, int[] channels)
    {
        CheckChannels(channels);
        var result = new double[all.GetLength(0), channels.Length];
        for (var r = 0; r < all.GetLength(0); r++)
        {
            for (var j = 0; j < channels.Length; j++) result[r, j] = all[r, channels[j]];
        }
        return result;
    }

    private void CheckChannels(int[] channels)
    {
        foreach (var c in channels)
        {
            if (c < 0 || c >= NumChannels)
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{Kind} `{Name}`: channel {c} does not exist; channels are 0 to {NumChannels - 1}.");
        }
    }

    private SnnArgumentException OutOfRange(double t, double first, double last) =>
        new(ErrorCode.InvalidArgument,
            $"{Kind} `{Name}`: cannot sample at t = {F(t)}, outside [{F(first)}, {F(last)}] where this {(InterpKind == "previous" ? "sample-and-hold" : "linearly interpolated")} series is defined; clip the request, extend the series, or make it periodic.");

    private static double Mod(double x, double d) => x - d * Math.Floor(x / d);

    private static double[] Prepare(Array? times, Array? samples, double? tStart, double? tStop, string name, out double[,] matrix,
        out (double Start, double Stop) limits)
    {
        var t = times is null ? [] : ArrayData.Vector(times, $"{Kind} `{name}`: times");
        if (samples is null)
        {
            if (t.Length > 0)
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{Kind} `{name}`: {t.Length} times were given without samples; pass samples of shape [{t.Length}, channels].");
            matrix = new double[0, 0];
        }
        else
        {
            matrix = ArrayData.Matrix(samples, $"{Kind} `{name}`: samples");
            if (samples.Rank == 1 && t.Length == 1 && matrix.GetLength(0) > 1)
            {
                // One time and a flat vector: one sample of several channels (Rockpool promotes it the same way).
                var row = new double[1, matrix.GetLength(0)];
                for (var c = 0; c < row.GetLength(1); c++) row[0, c] = matrix[c, 0];
                matrix = row;
            }
            if (matrix.GetLength(0) != t.Length)
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{Kind} `{name}`: samples [{ArrayData.Shape(samples)}] need one row per time, but there are {t.Length} times; pass samples of shape [{t.Length}, channels].");
            foreach (var v in ArrayData.Span(matrix))
            {
                if (double.IsNaN(v))
                    throw new SnnArgumentException(ErrorCode.InvalidArgument,
                        $"{Kind} `{name}`: samples contain NaN; replace missing values (e.g. numpy.nan_to_num) before building the series.");
            }
        }
        limits = Limits(Kind, name, t, tStart, tStop, stopAfterLast: false);
        return t;
    }
}
