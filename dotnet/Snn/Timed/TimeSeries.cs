using System.Globalization;

namespace Snn.Timed;

/// <summary>
/// Rockpool's time series base: sorted sample or event <see cref="Times"/> in seconds inside
/// [<see cref="TStart"/>, <see cref="TStop"/>], optionally <see cref="Periodic"/> (repeating with period
/// <see cref="Duration"/>). Series are immutable: every operation returns a new series.
/// </summary>
public abstract class TimeSeries
{
    /// <summary>Absolute tolerance for times that miss a limit by rounding (Rockpool's 1e-9 s).</summary>
    public const double Tolerance = 1e-9;

    private protected readonly double[] _times;

    private protected TimeSeries(double[] times, bool periodic, double tStart, double tStop, string name)
    {
        _times = times;
        Periodic = periodic;
        TStart = tStart;
        TStop = tStop;
        Name = name;
    }

    /// <summary>Sample or event times, non-decreasing (a copy).</summary>
    public double[] Times => (double[])_times.Clone();

    /// <summary>Number of samples or events (<c>len()</c> in Python).</summary>
    public int Count => _times.Length;

    /// <summary>True when there are no samples or events.</summary>
    public bool IsEmpty => _times.Length == 0;

    /// <summary>Start of the series in seconds.</summary>
    [PythonName("t_start")]
    public double TStart { get; }

    /// <summary>End of the series in seconds.</summary>
    [PythonName("t_stop")]
    public double TStop { get; }

    /// <summary><see cref="TStop"/> - <see cref="TStart"/>.</summary>
    public double Duration => TStop - TStart;

    /// <summary>True when the series repeats with period <see cref="Duration"/> outside its limits.</summary>
    public bool Periodic { get; }

    /// <summary>The series' name (titles of plots; "unnamed" by default).</summary>
    public string Name { get; set; }

    /// <summary>Whether every one of <paramref name="times"/> lies in [TStart, TStop] (always true when periodic).</summary>
    public bool Contains(params double[] times)
    {
        ArgumentNullException.ThrowIfNull(times);
        return Periodic || times.All(t => t >= TStart && t <= TStop);
    }

    /// <summary>The first and last time a series made from <paramref name="times"/> may have, checked.</summary>
    private protected static (double Start, double Stop) Limits(string kind, string name, double[] times, double? tStart, double? tStop,
        bool stopAfterLast)
    {
        for (var i = 0; i < times.Length; i++)
        {
            if (!double.IsFinite(times[i]))
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{kind} `{name}`: times[{i}] is {times[i]}; every time must be a finite number of seconds.");
            if (i > 0 && times[i] < times[i - 1])
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{kind} `{name}`: times must not decrease, but times[{i}] = {F(times[i])} < times[{i - 1}] = {F(times[i - 1])}; sort them (with their samples or channels) first.");
        }
        foreach (var (v, which) in new[] { (tStart, "t_start"), (tStop, "t_stop") })
        {
            if (v is { } x && !double.IsFinite(x))
                throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{kind} `{name}`: {which} is {x}; pass a finite time or leave it out.");
        }
        var start = tStart ?? (times.Length > 0 ? times[0] : 0.0);
        if (times.Length > 0 && start > times[0])
        {
            if (start - times[0] > Tolerance)
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{kind} `{name}`: t_start = {F(start)} is after the first time {F(times[0])}; pass t_start <= {F(times[0])} or clip the times.");
            start = times[0];
        }
        double stop;
        if (stopAfterLast)
        {
            if (times.Length > 0)
            {
                if (tStop is null)
                    throw new SnnArgumentException(ErrorCode.InvalidArgument,
                        $"{kind} `{name}`: t_stop is required with events and must be greater than the last event time {F(times[^1])}; pass e.g. t_stop={F(times[^1] + 1e-3)}.");
                if (tStop.Value <= times[^1])
                    throw new SnnArgumentException(ErrorCode.InvalidArgument,
                        $"{kind} `{name}`: t_stop = {F(tStop.Value)} must be strictly greater than the last event time {F(times[^1])} (events at t_stop belong to the next series).");
            }
            stop = tStop ?? start;
        }
        else
        {
            stop = tStop ?? (times.Length > 0 ? times[^1] : start);
            if (times.Length > 0 && stop < times[^1])
            {
                if (times[^1] - stop > Tolerance)
                    throw new SnnArgumentException(ErrorCode.InvalidArgument,
                        $"{kind} `{name}`: t_stop = {F(stop)} is before the last time {F(times[^1])}; pass t_stop >= {F(times[^1])}.");
                stop = times[^1];
            }
        }
        if (stop < start)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{kind} `{name}`: t_stop = {F(stop)} is before t_start = {F(start)}; swap them.");
        return (start, stop);
    }

    /// <summary>The median gap between consecutive <paramref name="times"/> (0 with fewer than two).</summary>
    private protected static double MedianStep(double[] times)
    {
        if (times.Length < 2) return 0;
        var d = new double[times.Length - 1];
        for (var i = 0; i < d.Length; i++) d[i] = times[i + 1] - times[i];
        Array.Sort(d);
        return d.Length % 2 == 1 ? d[d.Length / 2] : 0.5 * (d[d.Length / 2 - 1] + d[d.Length / 2]);
    }

    /// <summary>Index of the first time &gt;= t (side "left") or &gt; t (side "right") in sorted <paramref name="times"/>.</summary>
    private protected static int Search(ReadOnlySpan<double> times, double t, bool right)
    {
        int lo = 0, hi = times.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (right ? times[mid] <= t : times[mid] < t) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>A number as Rockpool prints it, culture-independent.</summary>
    private protected static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Throws unless <paramref name="v"/> is finite and &gt; 0.</summary>
    private protected static void RequirePositive(double v, string what, string kind, string name)
    {
        if (!(v > 0 && double.IsFinite(v)))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{kind} `{name}`: {what} must be a finite number > 0, got {v}.");
    }
}
