using Snn.Plotting;

namespace Snn.Timed;

/// <summary>
/// Rockpool's event time series: events at <see cref="TimeSeries.Times"/> (non-decreasing seconds) on
/// <see cref="Channels"/> (0 to <see cref="NumChannels"/> - 1), all in [t_start, t_stop) - t_stop is strictly after
/// the last event. Rasterised on [t, t + dt) bins; built from rasters with events at bin middles.
/// </summary>
public sealed class TSEvent : TimeSeries
{
    private const string Kind = "TSEvent";
    private readonly int[] _channels;

    /// <summary>
    /// Creates a series of events at <paramref name="times"/> on <paramref name="channels"/> (all channel 0 when
    /// null). <paramref name="tStop"/> is required when there are events and must exceed the last one;
    /// <paramref name="numChannels"/> defaults to the highest channel + 1.
    /// </summary>
    public TSEvent(Array? times = null, Array? channels = null, bool periodic = false, double? tStart = null, double? tStop = null,
        string? name = null, long? numChannels = null)
        : this(Prepare(times, channels, tStart, tStop, name ?? "unnamed", numChannels, out var ch, out var limits, out var n), ch,
            periodic, limits.Start, limits.Stop, name ?? "unnamed", n)
    {
    }

    private TSEvent(double[] times, int[] channels, bool periodic, double tStart, double tStop, string name, int numChannels)
        : base(times, periodic, tStart, tStop, name)
    {
        _channels = channels;
        NumChannels = numChannels;
        if (periodic && times.Length > 0 && !(tStop > tStart))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Kind} `{name}`: a periodic series needs t_stop > t_start (its period), got [{F(tStart)}, {F(tStop)}].");
    }

    /// <summary>The channel of each event (a copy).</summary>
    public int[] Channels => (int[])_channels.Clone();

    /// <summary>Number of channels the series spans (at least the highest channel + 1).</summary>
    public int NumChannels { get; }

    /// <summary>
    /// Rockpool's from_raster: <paramref name="raster"/> [T, C] (or [T]) of event counts per bin (booleans, integers
    /// or whole floats) becomes events at tStart + (i + 0.5) dt, or at bin starts with
    /// <paramref name="spikesAtBinStart"/>; a count n gives n events. t_stop defaults to tStart + T dt and
    /// num_channels to C.
    /// </summary>
    public static TSEvent FromRaster(Array raster, double dt = 1.0, double tStart = 0.0, double? tStop = null, string? name = null,
        bool periodic = false, long? numChannels = null, bool spikesAtBinStart = false)
    {
        ArgumentNullException.ThrowIfNull(raster);
        var label = name ?? "unnamed";
        RequirePositive(dt, "dt", Kind, label);
        if (raster.Rank is not (1 or 2))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Kind}.FromRaster: raster must be [time, channels] (or 1-D for one channel), got rank {raster.Rank}.");
        var steps = raster.GetLength(0);
        var columns = raster.Rank == 2 ? raster.GetLength(1) : 1;
        var counts = ArrayData.Doubles(raster, $"{Kind}.FromRaster: raster");
        long total = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            var v = counts[i];
            if (!(v >= 0) || v != Math.Floor(v) || v > int.MaxValue)
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{Kind}.FromRaster: raster[{i / columns}, {i % columns}] = {v}; a raster holds whole event counts >= 0 (booleans, integers or whole floats).");
            total += (long)v;
        }
        if (total > Array.MaxLength)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind}.FromRaster: {total} events are more than one series can hold.");
        var times = new double[total];
        var channels = new int[total];
        var shift = spikesAtBinStart ? 0.0 : dt / 2;
        var e = 0;
        for (var i = 0; i < steps; i++)
        {
            var t = i * dt + tStart + shift;
            for (var c = 0; c < columns; c++)
            {
                for (var k = (int)counts[i * columns + c]; k > 0; k--)
                {
                    times[e] = t;
                    channels[e++] = c;
                }
            }
        }
        var stop = tStop ?? steps * dt + tStart;
        var n = numChannels ?? columns;
        return new TSEvent(times, channels, periodic, tStart, stop, label, n);
    }

    /// <summary>Rockpool's <c>ts(t_start, t_stop, channels)</c> from Python: <see cref="EventsBetween"/>.</summary>
    [PythonName("__call__")]
    public (double[] Times, int[] Channels) Invoke(double? tStart = null, double? tStop = null, Array? channels = null) =>
        EventsBetween(tStart, tStop, channels);

    /// <summary>
    /// The events in [tStart, tStop) (defaults: the series' limits; a periodic series repeats to cover them) on
    /// <paramref name="channels"/> (all when null): Rockpool's <c>ts(t_start, t_stop, channels)</c>.
    /// </summary>
    public (double[] Times, int[] Channels) EventsBetween(double? tStart = null, double? tStop = null, Array? channels = null)
    {
        var (a, b) = Window(tStart, tStop);
        var keep = channels is null ? null : ChannelMask(ArrayData.Ints(channels, "channels"));
        var times = new List<double>();
        var chans = new List<int>();
        Walk(a, b, (t, c) =>
        {
            if (keep is null || keep[c]) { times.Add(t); chans.Add(c); }
        });
        return ([.. times], [.. chans]);
    }

    /// <summary>
    /// Rockpool's raster: counts of events per bin [tStart + i dt, tStart + (i + 1) dt) and channel, as a
    /// bool[T, C] (an event or not) or, with <paramref name="addEvents"/>, an int[T, C] of counts. T is
    /// <paramref name="numTimesteps"/> or ceil((tStop - tStart) / dt) (tStop defaults to the series' t_stop).
    /// Column j holds channel <paramref name="channels"/>[j] (default all channels); channels the series lacks give
    /// empty columns. Linear in events plus raster size.
    /// </summary>
    public Array Raster(double dt, double? tStart = null, double? tStop = null, long? numTimesteps = null, Array? channels = null,
        bool addEvents = false)
    {
        RequirePositive(dt, "dt", Kind, Name);
        if (numTimesteps is not null && tStop is not null)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Kind} `{Name}`: pass either t_stop or num_timesteps to Raster, not both.");
        var start = tStart ?? TStart;
        if (!double.IsFinite(start))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind} `{Name}`: raster t_start must be finite, got {start}.");
        long steps;
        if (numTimesteps is { } n)
        {
            if (n < 0)
                throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind} `{Name}`: num_timesteps must be >= 0, got {n}.");
            steps = n;
        }
        else
        {
            var stop = tStop ?? TStop;
            if (!double.IsFinite(stop) || stop < start)
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{Kind} `{Name}`: raster t_stop = {stop} must be finite and >= t_start = {F(start)}.");
            steps = (long)Math.Ceiling((stop - start) / dt - 1e-9);
        }
        var picked = channels is null ? Enumerable.Range(0, NumChannels).ToArray() : ArrayData.Ints(channels, "channels");
        var columnOf = new int[NumChannels];
        Array.Fill(columnOf, -1);
        for (var j = 0; j < picked.Length; j++)
        {
            if (picked[j] < 0)
                throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind} `{Name}`: channel ids must be >= 0, got {picked[j]}.");
            if (picked[j] >= NumChannels) continue;
            if (columnOf[picked[j]] >= 0)
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{Kind} `{Name}`: channel {picked[j]} is listed twice in channels; list each channel once.");
            columnOf[picked[j]] = j;
        }
        if (steps * picked.Length > Array.MaxLength)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Kind} `{Name}`: a raster of {steps} x {picked.Length} is too large; use a larger dt or a shorter window.");
        var width = picked.Length;
        var end = start + steps * dt;
        if (addEvents)
        {
            var counts = new int[steps, width];
            Walk(start, end, (t, c) =>
            {
                if (Bin(t, c, start, dt, steps, columnOf) is var (bin, col)) counts[bin, col]++;
            });
            return counts;
        }
        var hits = new bool[steps, width];
        Walk(start, end, (t, c) =>
        {
            if (Bin(t, c, start, dt, steps, columnOf) is var (bin, col)) hits[bin, col] = true;
        });
        return hits;
    }

    /// <summary>Rockpool's clip: the events in [tStart, tStop) on <paramref name="channels"/>, with the new limits.
    /// With <paramref name="remapChannels"/>, the channels kept are renumbered 0, 1, ... in ascending order and
    /// num_channels becomes their count.</summary>
    public TSEvent Clip(double? tStart = null, double? tStop = null, Array? channels = null, bool remapChannels = false)
    {
        var picked = channels is null ? null : ArrayData.Ints(channels, "channels");
        var (times, chans) = EventsBetween(tStart, tStop, picked);
        var (a, b) = Window(tStart, tStop);
        var newStart = tStart is null ? TStart : a;
        var newStop = tStop is null ? TStop : b;
        if (times.Length > 0 && newStop <= times[^1]) newStop = Math.BitIncrement(times[^1]);
        var n = NumChannels;
        if (remapChannels)
        {
            var kept = (picked ?? chans).Distinct().Order().ToArray();
            var index = new Dictionary<int, int>();
            for (var i = 0; i < kept.Length; i++) index[kept[i]] = i;
            for (var i = 0; i < chans.Length; i++) chans[i] = index[chans[i]];
            n = kept.Length;
        }
        return new TSEvent(times, chans, Periodic, newStart, newStop, Name, n);
    }

    /// <summary>Renumbers channels: channel c becomes <paramref name="channelMap"/>[c]; the map needs one entry per
    /// channel (<see cref="NumChannels"/>).</summary>
    public TSEvent RemapChannels(Array channelMap)
    {
        ArgumentNullException.ThrowIfNull(channelMap);
        var map = ArrayData.Ints(channelMap, "channel_map");
        if (map.Length != NumChannels)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Kind} `{Name}`: channel_map must have one entry per channel ({NumChannels}), got {map.Length}.");
        if (map.Any(c => c < 0))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind} `{Name}`: channel_map entries must be >= 0.");
        var chans = new int[_channels.Length];
        for (var i = 0; i < chans.Length; i++) chans[i] = map[_channels[i]];
        var n = Math.Max(NumChannels, map.Length == 0 ? 0 : map.Max() + 1);
        return new TSEvent((double[])_times.Clone(), chans, Periodic, TStart, TStop, Name, n);
    }

    /// <summary>A copy with every event (and the limits) shifted by <paramref name="offset"/> seconds.</summary>
    public TSEvent Delay(double offset)
    {
        if (!double.IsFinite(offset))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind} `{Name}`: the delay must be finite, got {offset}.");
        var times = new double[_times.Length];
        for (var i = 0; i < times.Length; i++) times[i] = _times[i] + offset;
        return new TSEvent(times, (int[])_channels.Clone(), Periodic, TStart + offset, TStop + offset, Name, NumChannels);
    }

    /// <summary>Merges <paramref name="other"/>, delayed by <paramref name="delay"/>, into this series so they may
    /// overlap in time (stable merge: on equal times this series' events come first). num_channels is the larger of
    /// the two; with <paramref name="removeDuplicates"/>, events with the same time and channel are kept once.</summary>
    public TSEvent Merge(TSEvent other, double delay = 0, bool removeDuplicates = false) => Merge([other], [delay], removeDuplicates);

    /// <summary>Merges several series, each delayed by its entry of <paramref name="delays"/> (one value for all, or
    /// none for 0).</summary>
    public TSEvent Merge(IEnumerable<TSEvent> others, IReadOnlyList<double>? delays = null, bool removeDuplicates = false)
    {
        ArgumentNullException.ThrowIfNull(others);
        var list = others.ToList();
        if (delays is not null && delays.Count != list.Count && delays.Count != 1)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Kind} `{Name}`: give one delay or one per merged series ({list.Count}), got {delays.Count}.");
        var all = new List<TSEvent> { this };
        for (var i = 0; i < list.Count; i++)
        {
            var s = list[i] ?? throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind} `{Name}`: cannot merge null.");
            var d = delays is null ? 0 : delays[delays.Count == 1 ? 0 : i];
            all.Add(d == 0 ? s : s.Delay(d));
        }
        return Combine(all, all.Select(_ => 0).ToArray(), all.Max(s => s.NumChannels), removeDuplicates);
    }

    /// <summary>Appends <paramref name="other"/> along the channel axis: its channels are shifted by this series'
    /// <see cref="NumChannels"/>; times stay.</summary>
    public TSEvent AppendC(TSEvent other) => AppendC([other]);

    /// <summary>Appends several series along the channel axis, each after the channels of the ones before.</summary>
    public TSEvent AppendC(IEnumerable<TSEvent> others)
    {
        ArgumentNullException.ThrowIfNull(others);
        var all = new List<TSEvent> { this };
        all.AddRange(others.Select(s => s ?? throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind} `{Name}`: cannot append null.")));
        var shifts = new int[all.Count];
        for (var i = 1; i < all.Count; i++) shifts[i] = shifts[i - 1] + all[i - 1].NumChannels;
        return Combine(all, shifts, shifts[^1] + all[^1].NumChannels, removeDuplicates: false);
    }

    /// <summary>Appends <paramref name="other"/> in time: its t_start moves to this series' t_stop +
    /// <paramref name="offset"/>.</summary>
    public TSEvent AppendT(TSEvent other, double offset = 0, bool removeDuplicates = false) => AppendT([other], [offset], removeDuplicates);

    /// <summary>Appends several series in time, each starting where the previous one stops plus its offset.</summary>
    public TSEvent AppendT(IEnumerable<TSEvent> others, IReadOnlyList<double>? offsets = null, bool removeDuplicates = false)
    {
        ArgumentNullException.ThrowIfNull(others);
        var list = others.ToList();
        if (offsets is not null && offsets.Count != list.Count && offsets.Count != 1)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Kind} `{Name}`: give one offset or one per appended series ({list.Count}), got {offsets.Count}.");
        var delays = new double[list.Count];
        var stop = TStop;
        for (var i = 0; i < list.Count; i++)
        {
            var s = list[i] ?? throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind} `{Name}`: cannot append null.");
            var offset = offsets is null ? 0 : offsets[offsets.Count == 1 ? 0 : i];
            delays[i] = stop + offset - s.TStart;
            stop = s.TStop + delays[i];
        }
        return Merge(list, delays, removeDuplicates);
    }

    /// <summary>Draws the events as a raster plot (time against channel, one marker per event) and writes it to
    /// <paramref name="path"/> as PNG. Returns the chart, whose PixelX/PixelY say where events landed.</summary>
    public Chart Plot(string path, int width = 640, int height = 400, int markerRadius = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var chart = new Chart(width, height, TStart, TStop > TStart ? TStop : TStart + 1, -1, Math.Max(NumChannels, 1),
            Name == "unnamed" ? null : Name, "Time (s)", "Channel");
        for (var i = 0; i < _times.Length; i++)
            chart.Marker(_times[i], _channels[i], Color.Palette[_channels[i] % Color.Palette.Count], markerRadius);
        chart.Save(path);
        return chart;
    }

    /// <inheritdoc/>
    public override string ToString() => IsEmpty
        ? $"Empty TSEvent `{Name}` from t={F(TStart)} to t={F(TStop)}."
        : $"{(Periodic ? "periodic" : "non-periodic")} TSEvent `{Name}` from t={F(TStart)} to {F(TStop)}. Channels: {NumChannels}. Events: {Count}";

    private (double, double) Window(double? tStart, double? tStop)
    {
        var a = tStart ?? TStart;
        var b = tStop ?? TStop;
        if (!double.IsFinite(a) || !double.IsFinite(b))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind} `{Name}`: time limits must be finite, got [{a}, {b}].");
        return b < a ? (b, a) : (a, b);
    }

    private bool[] ChannelMask(int[] channels)
    {
        var mask = new bool[NumChannels];
        foreach (var c in channels)
        {
            if (c < 0 || c >= NumChannels)
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{Kind} `{Name}`: channel {c} does not exist; channels are 0 to {NumChannels - 1}.");
            mask[c] = true;
        }
        return mask;
    }

    /// <summary>Calls <paramref name="visit"/> for every event in [a, b) in time order, unrolling periodic series.</summary>
    private void Walk(double a, double b, Action<double, int> visit)
    {
        if (_times.Length == 0 || b <= a) return;
        if (!Periodic || !(Duration > 0))
        {
            for (var i = Search(_times, a, right: false); i < _times.Length && _times[i] < b; i++) visit(_times[i], _channels[i]);
            return;
        }
        var period = Duration;
        var first = (long)Math.Floor((a - TStart) / period);
        var last = (long)Math.Floor((b - TStart) / period);
        for (var k = first; k <= last; k++)
        {
            var shift = k * period;
            for (var i = Search(_times, a - shift, right: false); i < _times.Length; i++)
            {
                var t = _times[i] + shift;
                if (t >= b) break;
                if (t >= a) visit(t, _channels[i]);
            }
        }
    }

    private static (long Bin, int Column)? Bin(double t, int channel, double start, double dt, long steps, int[] columnOf)
    {
        if (channel >= columnOf.Length || columnOf[channel] < 0) return null;
        // Bin of t in [start + i dt, start + (i + 1) dt); an event that lies on a bin edge up to rounding (1e-9 of a
        // bin) belongs to the later bin, as its exact time would.
        var bin = (long)Math.Floor((t - start) / dt + 1e-9);
        return bin >= 0 && bin < steps ? (bin, columnOf[channel]) : null;
    }

    private TSEvent Combine(List<TSEvent> all, int[] shifts, int numChannels, bool removeDuplicates)
    {
        // Stable k-way merge of the sorted inputs: linear for two series, O(n k) at worst.
        var total = all.Sum(s => s.Count);
        var times = new double[total];
        var chans = new int[total];
        var pos = new int[all.Count];
        for (var e = 0; e < total; e++)
        {
            var best = -1;
            for (var s = 0; s < all.Count; s++)
            {
                if (pos[s] < all[s].Count && (best < 0 || all[s]._times[pos[s]] < all[best]._times[pos[best]])) best = s;
            }
            times[e] = all[best]._times[pos[best]];
            chans[e] = all[best]._channels[pos[best]++] + shifts[best];
        }
        if (removeDuplicates && total > 0)
        {
            var keptTimes = new List<double>(total);
            var keptChans = new List<int>(total);
            var sameTime = new HashSet<int>();
            for (var e = 0; e < total; e++)
            {
                if (e == 0 || times[e] != times[e - 1]) sameTime.Clear();
                if (sameTime.Add(chans[e])) { keptTimes.Add(times[e]); keptChans.Add(chans[e]); }
            }
            times = [.. keptTimes];
            chans = [.. keptChans];
        }
        var stop = all.Max(s => s.TStop);
        if (times.Length > 0 && stop <= times[^1]) stop = Math.BitIncrement(times[^1]);
        return new TSEvent(times, chans, Periodic, all.Min(s => s.TStart), stop, Name, numChannels);
    }

    private static double[] Prepare(Array? times, Array? channels, double? tStart, double? tStop, string name, long? numChannels,
        out int[] chans, out (double Start, double Stop) limits, out int n)
    {
        var t = times is null ? [] : ArrayData.Vector(times, $"{Kind} `{name}`: times");
        if (channels is null || channels.Length == 0)
        {
            if (channels is not null && t.Length > 0)
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{Kind} `{name}`: channels is empty but there are {t.Length} events; pass one channel per event or leave channels out (all channel 0).");
            chans = new int[t.Length];
        }
        else
        {
            chans = ArrayData.Ints(channels, $"{Kind} `{name}`: channels");
            if (chans.Length != t.Length)
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{Kind} `{name}`: channels has {chans.Length} entries but there are {t.Length} events; pass one channel per event.");
        }
        var highest = -1;
        for (var i = 0; i < chans.Length; i++)
        {
            if (chans[i] < 0)
                throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Kind} `{name}`: channels[{i}] = {chans[i]}; channel ids must be >= 0.");
            highest = Math.Max(highest, chans[i]);
        }
        if (numChannels is { } given)
        {
            if (given < highest + 1 || given > int.MaxValue)
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{Kind} `{name}`: num_channels = {given} but channel {highest} occurs; pass num_channels >= {highest + 1} or leave it out.");
            n = (int)given;
        }
        else n = highest + 1;
        limits = Limits(Kind, name, t, tStart, tStop, stopAfterLast: true);
        return t;
    }
}
