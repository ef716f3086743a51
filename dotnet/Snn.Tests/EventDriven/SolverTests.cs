using Snn.EventDriven;

namespace Snn.Tests.EventDriven;

/// <summary>
/// The exact solver (the default) against a float64 run of the model that finds each crossing by
/// bisection, on a busy network; the <c>compat: "evspikesim"</c> option; EvSpikeSim's own callback
/// sources compiled unchanged.
/// </summary>
public sealed class SolverTests : IDisposable
{
    private readonly string _compilePath = Path.Combine(Path.GetTempPath(), $"snn-event-solver-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_compilePath)) Directory.Delete(_compilePath, recursive: true);
    }

    // Per neuron: a, b in double; in [now, next] fire at once when u(now) >= theta, else bisect on
    // [now, argmax u] when max u >= theta. Times reported as float32, resets at the double time.
    private static List<float>[] Float64Model(float[,] w, float tauS, float threshold, SpikeArray input)
    {
        double tau = 2f * tauS, theta = threshold;
        var n = w.GetLength(0);
        var spikes = new List<float>[n];
        for (var i = 0; i < n; i++)
        {
            spikes[i] = [];
            double a = 0, b = 0, now = 0;
            double U(double t)
            {
                var x = Math.Exp(-(t - now) / tau);
                return b * x - a * x * x;
            }
            for (var g = 0; g < input.Count; g++)
            {
                double tIn = input[g].Time;
                var x = Math.Exp(-(tIn - now) / tau);
                a = a * x * x + w[i, input[g].Index];
                b = b * x + w[i, input[g].Index];
                now = tIn;
                var next = g + 1 < input.Count ? input[g + 1].Time : double.PositiveInfinity;
                while (true)
                {
                    double t;
                    if (b - a >= theta)
                    {
                        t = now;
                    }
                    else
                    {
                        var peak = next;
                        if (a > 0 && b > 0 && b < 2 * a) peak = Math.Min(peak, now - tau * Math.Log(b / (2 * a)));
                        if (double.IsInfinity(peak)) peak = now + 50 * tau;
                        if (!(U(peak) >= theta)) break;
                        double lo = now, hi = peak;
                        for (var k = 0; k < 200 && hi - lo > 1e-15 * Math.Max(1, hi); k++)
                        {
                            var mid = 0.5 * (lo + hi);
                            if (U(mid) >= theta) hi = mid; else lo = mid;
                        }
                        t = hi;
                    }
                    x = Math.Exp(-(t - now) / tau);
                    a *= x * x;
                    b = b * x - theta;
                    now = t;
                    spikes[i].Add((float)t);
                }
            }
        }
        return spikes;
    }

    private static SpikingNetwork Busy(string? compat = null)
    {
        Initializer.SetSeed(5);
        var net = new SpikingNetwork(compat: compat);
        net.AddFcLayer(200, 80, 0.01f, 0.5f, new UniformInitializer(-0.3f, 0.36f));
        net.AddFcLayer(80, 50, 0.01f, 0.5f, new UniformInitializer(-0.3f, 0.36f));
        return net;
    }

    private static SpikeArray BusyInput()
    {
        var (indices, times) = SpikingNetworkTests.RandomInput(2000, 200, 0.1f, 31, 0);
        var input = new SpikeArray(indices, times);
        input.Sort();
        return input;
    }

    [Fact]
    public void ExactSolverMatchesTheFloat64ModelLayerByLayerOnABusyNetwork()
    {
        using var net = Busy();
        Assert.Null(net.Compat);
        var input = BusyInput();
        net.Infer(input);
        foreach (var layer in net)
        {
            var expected = Float64Model(layer.Weights, layer.TauS, layer.Threshold, input);
            var got = layer.PostSpikes;
            Assert.True(expected.Sum(s => s.Count) > 2000, $"layer {layer.Index} should be busy");
            for (var i = 0; i < expected.Length; i++)
            {
                var mine = got.Where(s => s.Index == i).Select(s => s.Time).ToList();
                Assert.True(expected[i].Count == mine.Count, $"layer {layer.Index}, neuron {i}: {expected[i].Count} spikes in float64, got {mine.Count}");
                for (var k = 0; k < mine.Count; k++)
                    Assert.True(Math.Abs(expected[i][k] - mine[k]) <= 1e-5, $"layer {layer.Index}, neuron {i}, spike {k}: {expected[i][k]} vs {mine[k]}");
            }
            input = got;  // the next layer's reference gets this layer's spikes, as the layer does
        }
    }

    [Fact]
    public void EvSpikeSimCompatUsesItsArithmeticAndLosesCrossings()
    {
        using var exact = Busy();
        using var compat = Busy(SpikingNetwork.EvSpikeSimCompat);
        Assert.Equal("evspikesim", compat.Compat);
        var input = BusyInput();
        var a = exact.Infer(input);
        var b = compat.Infer(input);
        Assert.True(a.Count - b.Count > 50, $"EvSpikeSim's float32 solve should miss crossings here: {a.Count} vs {b.Count}");
        var error = Assert.Throws<SnnArgumentException>(() => new SpikingNetwork(compat: "EvSpikeSim 0.4"));
        Assert.Contains("\"evspikesim\"", error.Message);
    }

    [Fact]
    public void EvSpikeSimCallbackSourcesCompileUnchangedAndKeepTheSameTracesAsSnnSources()
    {
        // EvSpikeSim's demos/callbacks/STDP.cpp, next to the repository (its sources are kept as a test
        // oracle), against examples/event_driven/stdp.cpp, the same rule written for snn.
        var demo = Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "peers", "EvSpikeSim", "demos", "callbacks", "STDP.cpp"));
        Assert.True(File.Exists(demo), $"EvSpikeSim's sources are expected at {demo} (a test oracle kept beside the repository)");
        foreach (var compat in new string?[] { null, SpikingNetwork.EvSpikeSimCompat })
        {
            Initializer.SetSeed(8);
            using var theirs = new SpikingNetwork(_compilePath, compat: compat);
            var a = theirs.AddFcLayerFromSource(demo, 60, 20, 0.01f, 0.5f, new UniformInitializer(-0.3f, 1f));
            Initializer.SetSeed(8);
            using var ours = new SpikingNetwork(_compilePath, compat: compat);
            var b = ours.AddFcLayerFromSource(Path.Combine(Repo.Root, "examples", "event_driven", "stdp.cpp"), 60, 20, 0.01f, 0.5f,
                new UniformInitializer(-0.3f, 1f));
            Assert.Equal((2, 1), (a.SynapticTraceCount, a.NeuronTraceCount));
            var (indices, times) = SpikingNetworkTests.RandomInput(150, 60, 0.05f, 12, 0);
            Assert.True(SpikingNetworkTests.BitEqual(ours.Infer(indices, times), theirs.Infer(indices, times)));
            Assert.True(a.PostSpikes.Count > 20);
            Assert.Equal(b.SynapticTraces, a.SynapticTraces);
            Assert.Equal(b.NeuronTraces, a.NeuronTraces);
        }
    }
}
