using Snn.Connections;
using Snn.Networks;

namespace Snn.Tests.Connections;

/// <summary>PySNN's connections from C#: Linear and Conv2d against loops written from the definitions, delays across
/// streaming calls, pooling ties and traces, weight distributions, configurations and bad input.</summary>
public class ConnectionTests
{
    private static float[] Flat(Tensor t)
    {
        var v = new float[t.ElementCount];
        t.CopyTo<float>(v);
        return v;
    }

    private static float[] Random(long n, int seed, double lo = -1, double hi = 1)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, (int)n).Select(_ => (float)(lo + (hi - lo) * rng.NextDouble())).ToArray();
    }

    private static float[] Spikes(long n, int seed, double p)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, (int)n).Select(_ => rng.NextDouble() < p ? 1f : 0f).ToArray();
    }

    private static void AssertClose(float[] expected, float[] actual, double tol = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {actual[i]}");
    }

    /// <summary>conv2d from its definition, in double, images [N, C, H, W].</summary>
    private static float[] NaiveConv(float[] x, int n, int c, int h, int w, float[] wt, int co, int kh, int kw,
                                     (int, int) s, (int, int) p, (int, int) d, int groups, float[]? bias)
    {
        int ho = (h + 2 * p.Item1 - d.Item1 * (kh - 1) - 1) / s.Item1 + 1, wo = (w + 2 * p.Item2 - d.Item2 * (kw - 1) - 1) / s.Item2 + 1;
        int cg = c / groups, og = co / groups;
        var y = new float[n * co * ho * wo];
        for (var b = 0; b < n; b++)
        for (var o = 0; o < co; o++)
        for (var i = 0; i < ho; i++)
        for (var j = 0; j < wo; j++)
        {
            double acc = bias?[o] ?? 0;
            for (var ci = 0; ci < cg; ci++)
            for (var u = 0; u < kh; u++)
            for (var v = 0; v < kw; v++)
            {
                int iy = i * s.Item1 - p.Item1 + u * d.Item1, ix = j * s.Item2 - p.Item2 + v * d.Item2;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                acc += (double)wt[((o * cg + ci) * kh + u) * kw + v] * x[((b * c + o / og * cg + ci) * h + iy) * w + ix];
            }
            y[((b * co + o) * ho + i) * wo + j] = (float)acc;
        }
        return y;
    }

    [Theory]
    [InlineData(2, 4, 3, 3, 9, 8, 1, 1, 0, 0, 1, 1, 1, 1)]
    [InlineData(3, 5, 3, 2, 11, 10, 2, 3, 1, 1, 2, 1, 1, 2)]
    [InlineData(4, 6, 2, 3, 7, 9, 1, 2, 1, 0, 1, 3, 2, 3)]
    public void Conv2dMatchesTheNaiveLoop(int cin, int cout, int kh, int kw, int h, int w, int sh, int sw, int ph, int pw,
                                          int dh, int dw, int groups, int seed)
    {
        using var conv = new Conv2d(cin, cout, (kh, kw), (h, w), stride: (sh, sw), padding: (ph, pw), dilation: (dh, dw),
                                    groups: groups, bias: true, seed: (ulong)seed);
        conv.ResetWeights("normal", seed: (ulong)seed);
        var bias = Random(cout, seed + 100);
        conv.Bias!.CopyFrom<float>(bias);
        const int T = 3, B = 2;
        var x = Spikes(T * B * cin * h * w, seed, 0.4);
        using var input = Tensor.FromArray(x, [T, B, cin, h, w]);
        using var output = conv.Forward(input);
        var expected = NaiveConv(x, T * B, cin, h, w, Flat(conv.Weight), cout, kh, kw, (sh, sw), (ph, pw), (dh, dw), groups, bias);
        Assert.Equal([T, B, .. conv.OutputShape], output.Values.Shape);
        AssertClose(expected, Flat(output.Values));
        Assert.Null(output.Trace);
    }

    [Fact]
    public void ConvAndPoolingGiveTheSameBitsForAnyThreadCount()
    {
        var x = Spikes(20 * 4 * 2 * 16 * 16, 41, 0.3);
        float[]? first = null, firstPooled = null;
        foreach (var threads in new[] { 1, 2, 3 })
        {
            using var device = Device.Cpu(threads);
            using var conv = new Conv2d(2, 8, 3, (16, 16), padding: 1, seed: 4, device: device);
            using var pool = new MaxPool2d(2, (16, 16), 8, device: device);
            using var input = Tensor.FromArray(x, [20, 4, 2, 16, 16], device);
            using var y = conv.Forward(input);
            using var p = pool.Forward(y.Values, y.Values);
            first ??= Flat(y.Values);
            firstPooled ??= Flat(p.Trace!);
            Assert.Equal(first, Flat(y.Values));
            Assert.Equal(firstPooled, Flat(p.Trace!));
        }
    }

    [Fact]
    public void LinearMatchesTheMatrixProduct()
    {
        using var linear = new Linear(7, 5, bias: true, seed: 3);
        var bias = Random(5, 4);
        linear.Bias!.CopyFrom<float>(bias);
        var x = Spikes(4 * 3 * 7, 5, 0.5);
        using var input = Tensor.FromArray(x, [4, 3, 7]);
        using var output = linear.Forward(input);
        AssertClose(Reference.Linear(x, 12, 7, Flat(linear.Weight), 5, bias), Flat(output.Values));
    }

    [Fact]
    public void DelayShiftsStepsAndStreamsAcrossCalls()
    {
        // dt 0.5, delay 1.5: three steps. Output step t is the projection of input step t - 3.
        const int T = 10, B = 2, N = 4, M = 3;
        var x = Spikes(T * B * N, 6, 0.5);
        using var whole = new Linear(N, M, dt: 0.5, delay: 1.5, seed: 9);
        Assert.Equal(3, whole.DelaySteps);
        var w = Flat(whole.Weight);
        var shifted = new float[x.Length];
        Array.Copy(x, 0, shifted, 3 * B * N, (T - 3) * B * N);
        var expected = Reference.Linear(shifted, T * B, N, w, M, null);

        using var all = Tensor.FromArray(x, [T, B, N]);
        using (var out1 = whole.Forward(all)) AssertClose(expected, Flat(out1.Values));

        // The same sequence in pieces of 2 and 8 steps (2 < delay: spikes stay in flight across the call).
        using var pieces = new Linear(N, M, dt: 0.5, delay: 1.5, seed: 9);
        using var first = Tensor.FromArray(x[..(2 * B * N)], [2, B, N]);
        using var second = Tensor.FromArray(x[(2 * B * N)..], [8, B, N]);
        using var a = pieces.Forward(first);
        var state = pieces.State["delay_line"];
        Assert.Equal([B, 3, N], state.Shape);
        using var b = pieces.Forward(second);
        AssertClose(expected, [.. Flat(a.Values), .. Flat(b.Values)]);

        // ResetState empties the line: the next call starts silent again.
        pieces.ResetState();
        Assert.Empty(pieces.State);
        using var again = pieces.Forward(all);
        AssertClose(expected, Flat(again.Values));
    }

    [Fact]
    public void DelayLineStateRoundTrips()
    {
        const int B = 2, N = 3;
        var x = Spikes(6 * B * N, 11, 0.5);
        using var one = new Linear(N, 2, delay: 4, seed: 1);
        using var two = new Linear(N, 2, delay: 4, seed: 1);
        using var head = Tensor.FromArray(x[..(3 * B * N)], [3, B, N]);
        using var tail = Tensor.FromArray(x[(3 * B * N)..], [3, B, N]);
        using (one.Forward(head)) { }
        two.SetState("delay_line", one.State["delay_line"]);
        using var o1 = one.Forward(tail);
        using var o2 = two.Forward(tail);
        Assert.Equal(Flat(o1.Values), Flat(o2.Values));
        Assert.Throws<SnnArgumentException>(() => two.SetState("trace", one.State["delay_line"]));
    }

    [Fact]
    public void BadParametersRaiseTypedErrorsNamingTheRule()
    {
        Assert.Contains("whole number of time steps", Assert.Throws<SnnArgumentException>(() => new Linear(3, 2, dt: 1.0, delay: 1.5)).Message);
        Assert.Contains("dt", Assert.Throws<SnnArgumentException>(() => new Linear(3, 2, dt: 0)).Message);
        Assert.Contains(">= 0", Assert.Throws<SnnArgumentException>(() => new Linear(3, 2, delay: -1)).Message);
        Assert.Contains("larger than the padded input", Assert.Throws<SnnArgumentException>(() => new Conv2d(1, 2, 5, (4, 4))).Message);
        Assert.Contains("stride", Assert.Throws<SnnArgumentException>(() => new Conv2d(1, 2, 3, (8, 8), stride: 0)).Message);
        Assert.Contains("groups", Assert.Throws<SnnArgumentException>(() => new Conv2d(3, 2, 3, (8, 8), groups: 2)).Message);
        Assert.Contains("half the kernel", Assert.Throws<SnnArgumentException>(() => new MaxPool2d(2, (8, 8), padding: 2)).Message);
        Assert.Contains("uniform", Assert.Throws<SnnArgumentException>(() => new Linear(2, 2).ResetWeights("gaussian")).Message);
        using var conv = new Conv2d(1, 2, 3, (6, 6));
        using var wrong = Tensor.Zeros([2, 1, 1, 5, 5]);
        Assert.Contains("[time, batch, 1, 6, 6]", Assert.Throws<SnnArgumentException>(() => conv.Forward(wrong)).Message);
    }

    [Fact]
    public void MaxPoolTiesGoToTheFirstSpikeAndCarryItsTrace()
    {
        // Two 2x2 windows per row of a 2x4 image: left window spikes at (0,1) and (1,0), right window silent.
        float[] spikes = [0, 1, 0, 0, 1, 0, 0, 0];
        float[] trace = [.1f, .2f, .3f, .4f, .5f, .6f, .7f, .8f];
        using var pool = new MaxPool2d(2, (2, 4));
        using var x = Tensor.FromArray(spikes, [1, 1, 1, 2, 4]);
        using var t = Tensor.FromArray(trace, [1, 1, 1, 2, 4]);
        using var y = pool.Forward(x, t);
        Assert.Equal([1f, 0f], Flat(y.Values));
        Assert.Equal([.2f, .3f], Flat(y.Trace!)); // first spike (top-right of the left window); first cell when silent
    }

    [Fact]
    public void MaxPoolAgreesWithAWindowLoop()
    {
        const int C = 3, H = 9, W = 10;
        var x = Spikes(2 * C * H * W, 21, 0.3);
        var tr = Random(x.Length, 22, 0, 1);
        using var pool = new MaxPool2d((3, 2), (H, W), C, stride: (2, 3), padding: (1, 1), dilation: (2, 1), ceilMode: true);
        using var xt = Tensor.FromArray(x, [1, 2, C, H, W]);
        using var tt = Tensor.FromArray(tr, [1, 2, C, H, W]);
        using var y = pool.Forward(xt, tt);
        var (ho, wo) = ((int)pool.OutputShape[1], (int)pool.OutputShape[2]);
        float[] ev = new float[2 * C * ho * wo], et = new float[ev.Length];
        for (var p = 0; p < 2 * C; p++)
        for (var i = 0; i < ho; i++)
        for (var j = 0; j < wo; j++)
        {
            var best = float.NegativeInfinity;
            var at = -1;
            for (var u = 0; u < 3; u++)
            for (var v = 0; v < 2; v++)
            {
                int iy = i * 2 - 1 + u * 2, ix = j * 3 - 1 + v;
                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                var k = (p * H + iy) * W + ix;
                if (at < 0 || x[k] > best) (best, at) = (x[k], k);
            }
            ev[(p * ho + i) * wo + j] = best;
            et[(p * ho + i) * wo + j] = tr[at];
        }
        Assert.Equal(ev, Flat(y.Values));
        Assert.Equal(et, Flat(y.Trace!));
    }

    [Fact]
    public void AdaptivePoolAveragePoolAndFlatten()
    {
        const int H = 7, W = 5;
        var x = Random(H * W, 31, 0, 1);
        using var xt = Tensor.FromArray(x, [1, 1, 1, H, W]);
        using var adaptive = new AdaptiveMaxPool2d((3, 2), (H, W));
        using var ya = adaptive.Forward(xt);
        var expected = new float[6];
        for (var i = 0; i < 3; i++)
        for (var j = 0; j < 2; j++)
        {
            int y0 = i * H / 3, y1 = ((i + 1) * H + 2) / 3, x0 = j * W / 2, x1 = ((j + 1) * W + 1) / 2;
            var best = float.NegativeInfinity;
            for (var u = y0; u < y1; u++) for (var v = x0; v < x1; v++) best = Math.Max(best, x[u * W + v]);
            expected[i * 2 + j] = best;
        }
        Assert.Equal(expected, Flat(ya.Values));

        using var avg = new AvgPool2d(2, (H, W), padding: 1);
        using var yv = avg.Forward(xt);
        Assert.Equal([1, 1, 1, 4, 3], yv.Values.Shape);
        Assert.Equal(x[0] / 4f, Flat(yv.Values)[0], 6); // top-left window holds one input and three zeros of padding

        using var flatten = new Flatten([1, H, W]);
        using var yf = flatten.Forward(xt, xt);
        Assert.Equal([1, 1, H * W], yf.Values.Shape);
        Assert.Equal(x, Flat(yf.Values));
        Assert.Equal(x, Flat(yf.Trace!));
    }

    [Fact]
    public void WeightDistributionsFollowTheirFormulas()
    {
        using var conv = new Conv2d(8, 16, 3, (10, 10), seed: 5);
        var fanIn = 8 * 9;
        var w = Flat(conv.Weight); // the default: uniform [0, 1) from Philox (5, 0)
        for (var i = 0; i < w.Length; i++) Assert.Equal(Reference.Uniform(5, 0, i), w[i]);

        conv.ResetWeights("kaiming_uniform", seed: 6);
        w = Flat(conv.Weight);
        var bound = Math.Sqrt(6.0 / fanIn);
        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        Assert.Equal((float)(-bound + 2 * bound * Reference.Uniform(6, 0, 7)), w[7]);

        conv.ResetWeights("kaiming_normal", seed: 7);
        w = Flat(conv.Weight);
        var std = Math.Sqrt(w.Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.93 * Math.Sqrt(2.0 / fanIn), 1.07 * Math.Sqrt(2.0 / fanIn));

        conv.ResetWeights("constant", gain: 0.25);
        Assert.All(Flat(conv.Weight), v => Assert.Equal(0.25f, v));

        conv.ResetWeights("xavier_uniform", gain: 2, seed: 8);
        var xb = 2 * Math.Sqrt(6.0 / (fanIn + 16 * 9));
        Assert.All(Flat(conv.Weight), v => Assert.InRange(v, -xb, xb));

        using var a = new Linear(30, 20, seed: 1);
        using var b = new Linear(30, 20, seed: 1);
        a.ResetWeights("xavier_normal", seed: 12);
        b.ResetWeights("xavier_normal", seed: 12);
        Assert.Equal(Flat(a.Weight), Flat(b.Weight));
        b.ResetWeights("xavier_normal", seed: 13);
        Assert.NotEqual(Flat(a.Weight), Flat(b.Weight));
    }

    /// <summary>The same constant is checked by python/tests/test_connections.py: C# and Python draw identical weights.</summary>
    [Fact]
    public void FixedSeedNormalWeightsAreTheSharedConstant()
    {
        using var linear = new Linear(3, 2, seed: 0);
        linear.ResetWeights("normal", seed: 7);
        uint[] expected = [0x3b1bd348, 0xc01f2852, 0x3ed87a19, 0x3e813c1b, 0x3e92eb00, 0xbf7b2c69];
        Assert.Equal(expected, Flat(linear.Weight).Select(BitConverter.SingleToUInt32Bits).ToArray());
    }

    [Fact]
    public void ConfigsRebuildTheLayers()
    {
        Layer[] layers =
        [
            new Linear(4, 3, dt: 0.5, delay: 1, bias: true, seed: 2),
            new Conv2d(2, 4, (3, 2), (9, 8), delay: 2, stride: (2, 1), padding: (1, 0), dilation: (1, 2), groups: 2, seed: 3),
            new MaxPool2d((2, 3), (8, 9), 2, stride: (2, 2), ceilMode: true),
            new AdaptiveMaxPool2d(3, (8, 9), 2),
            new AvgPool2d(3, (8, 9), 2, stride: 2, padding: 1, countIncludePad: false),
            new Flatten([2, 3, 4]),
        ];
        foreach (var layer in layers)
        {
            var config = LayerConfig.FromJson(layer.Config.ToJson());
            var method = layer.GetType().GetMethod("FromConfig")!;
            using var rebuilt = (Layer)method.Invoke(null, [config, Device.Default])!;
            Assert.Equal(layer.Config.ToString(), rebuilt.Config.ToString());
            Assert.Equal(layer.OutputShape, rebuilt.OutputShape);
            foreach (var (key, value) in layer.Parameters) Assert.Equal(Flat(value), Flat(rebuilt.Parameters[key]));
            layer.Dispose();
        }
    }
}
