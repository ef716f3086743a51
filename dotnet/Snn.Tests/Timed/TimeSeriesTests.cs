using Snn.Timed;

namespace Snn.Tests.Timed;

/// <summary>TSContinuous and TSEvent against references written from the definitions (brute-force loops).</summary>
public class TimeSeriesTests
{
    private static double[] SortedUniform(int n, double hi, int seed)
    {
        var rng = new Random(seed);
        var t = new double[n];
        for (var i = 0; i < n; i++) t[i] = rng.NextDouble() * hi;
        Array.Sort(t);
        return t;
    }

    [Fact]
    public void PreviousSamplingHoldsTheLastSampleAtOrBeforeT()
    {
        var times = SortedUniform(100, 5, 1);
        times[20] = times[21];
        var samples = new double[100, 2];
        for (var i = 0; i < 100; i++) { samples[i, 0] = i; samples[i, 1] = -i; }
        var ts = new TSContinuous(times, samples, tStop: 6.0);
        var query = SortedUniform(300, 6, 2).Select(q => Math.Max(q, times[0])).Concat(times).Reverse().ToArray();
        var got = ts.Sample(query);
        for (var q = 0; q < query.Length; q++)
        {
            var k = -1;
            for (var i = 0; i < times.Length; i++) if (times[i] <= query[q]) k = i;   // last sample at or before t
            Assert.Equal(samples[k, 0], got[q, 0]);
            Assert.Equal(samples[k, 1], got[q, 1]);
        }
    }

    [Fact]
    public void LinearSamplingInterpolatesBetweenNeighbours()
    {
        var ts = new TSContinuous(new double[] { 0, 1, 3 }, new double[,] { { 0 }, { 10 }, { 30 } }, interpKind: "linear");
        Assert.Equal(5.0, ts.Sample(0.5)[0], 12);
        Assert.Equal(20.0, ts.Sample(2.0)[0], 12);
        Assert.Equal(30.0, ts.Sample(3.0)[0], 12);
        var e = Assert.Throws<SnnArgumentException>(() => ts.Sample(3.5));
        Assert.Contains("periodic", e.Message);
    }

    [Fact]
    public void PeriodicSeriesWrapAround()
    {
        var ts = new TSContinuous(new double[] { 0, 1 }, new double[,] { { 1 }, { 2 } }, periodic: true, tStop: 2.0);
        Assert.Equal(1.0, ts.Sample(4.5)[0]);
        Assert.Equal(2.0, ts.Sample(-0.5)[0]);
    }

    [Fact]
    public void ClockedRoundTrip()
    {
        var clocked = new double[7, 2];
        for (var i = 0; i < 7; i++) { clocked[i, 0] = i * i; clocked[i, 1] = 1.0 / (i + 1); }
        var ts = TSContinuous.FromClocked(clocked, 0.1, tStart: 0.3);
        Assert.Equal(0.3 + 0.6 + 0.1, ts.TStop, 12);
        Assert.Equal(clocked, ts.ToClocked(0.1));
    }

    [Fact]
    public void RasterCountsEventsInLeftClosedBins()
    {
        var times = SortedUniform(3000, 1.999, 3);
        var rng = new Random(4);
        var channels = times.Select(_ => rng.Next(5)).ToArray();
        var ev = new TSEvent(times, channels, tStart: 0, tStop: 2.0);
        const double dt = 0.013;
        var counts = (int[,])ev.Raster(dt, addEvents: true);
        var steps = (int)Math.Ceiling(2.0 / dt);
        Assert.Equal(steps, counts.GetLength(0));
        var expected = new int[steps, 5];
        for (var e = 0; e < times.Length; e++)
        {
            for (var i = 0; i < steps; i++)
            {
                if (times[e] >= i * dt && times[e] < (i + 1) * dt) expected[i, channels[e]]++;
            }
        }
        Assert.Equal(expected, counts);
        var hits = (bool[,])ev.Raster(dt);
        for (var i = 0; i < steps; i++) for (var c = 0; c < 5; c++) Assert.Equal(expected[i, c] > 0, hits[i, c]);
        // the event at exactly 0.3 belongs to [0.3, 0.4) though 0.3 / 0.1 rounds below 3
        var edge = (int[,])new TSEvent(new[] { 0.3 }, tStart: 0, tStop: 1).Raster(0.1, addEvents: true);
        Assert.Equal(1, edge[3, 0]);
    }

    [Fact]
    public void FromRasterPutsEventsAtBinMiddlesAndRoundTrips()
    {
        var raster = new int[,] { { 0, 2 }, { 1, 0 }, { 0, 0 }, { 3, 1 } };
        var ev = TSEvent.FromRaster(raster, dt: 0.5, tStart: 1.0);
        Assert.Equal(new[] { 1.25, 1.25, 1.75, 2.75, 2.75, 2.75, 2.75 }, ev.Times);
        Assert.Equal(new[] { 1, 1, 0, 0, 0, 0, 1 }, ev.Channels);
        Assert.Equal(3.0, ev.TStop);
        Assert.Equal(2, ev.NumChannels);
        Assert.Equal(raster, (int[,])ev.Raster(0.5, addEvents: true));
    }

    [Fact]
    public void ClipMergeAndAppend()
    {
        var a = new TSEvent(new[] { 0.1, 0.5 }, new[] { 0, 1 }, tStart: 0, tStop: 1);
        var b = new TSEvent(new[] { 0.2, 0.5 }, new[] { 2, 0 }, tStart: 0, tStop: 1.5);
        var m = a.Merge(b);
        Assert.Equal(new[] { 0.1, 0.2, 0.5, 0.5 }, m.Times);
        Assert.Equal(new[] { 0, 2, 1, 0 }, m.Channels);
        Assert.Equal((0.0, 1.5, 3), (m.TStart, m.TStop, m.NumChannels));
        var c = a.AppendC(b);
        Assert.Equal(new[] { 0, 4, 1, 2 }, c.Channels);
        Assert.Equal(5, c.NumChannels);
        var t = a.AppendT(b, offset: 0.25);
        Assert.Equal(new[] { 0.1, 0.5, 1.45, 1.75 }, t.Times.Select(x => Math.Round(x, 12)));
        var clipped = m.Clip(0.15, 0.5);
        Assert.Equal(new[] { 0.2 }, clipped.Times);
        Assert.Equal((0.15, 0.5), (clipped.TStart, clipped.TStop));
    }

    [Fact]
    public void BadInputRaisesTypedErrorsThatSayWhatToDo()
    {
        Assert.Contains("must not decrease", Assert.Throws<SnnArgumentException>(() => new TSEvent(new[] { 0.5, 0.1 }, tStop: 1)).Message);
        Assert.Contains("strictly greater", Assert.Throws<SnnArgumentException>(() => new TSEvent(new[] { 0.5 }, tStop: 0.5)).Message);
        Assert.Contains("finite", Assert.Throws<SnnArgumentException>(() => new TSEvent(new[] { double.NaN }, tStop: 1)).Message);
        Assert.Contains("one row per time",
            Assert.Throws<SnnArgumentException>(() => new TSContinuous(new double[] { 0, 1 }, new double[3, 1])).Message);
        Assert.Contains("one channel per event",
            Assert.Throws<SnnArgumentException>(() => new TSEvent(new[] { 0.1 }, new[] { 0, 1 }, tStop: 1)).Message);
        Assert.Throws<SnnArgumentException>(() => TSEvent.FromRaster(new double[,] { { 0.5 } }));
    }
}
