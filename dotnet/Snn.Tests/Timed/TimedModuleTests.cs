using Snn.Networks;
using Snn.Neurons;
using Snn.Timed;

namespace Snn.Tests.Timed;

/// <summary>TimedModule around a Spyx LIF layer and a leaky integrator population, against references written from the equations.</summary>
public class TimedModuleTests
{
    /// <summary>A population of Spyx's LIF with scalar decay <paramref name="beta"/>: state "membrane".</summary>
    private static Population SpyxLif(int n, float beta, float threshold) =>
        new(NeuronModel.Create(NeuronKind.Lif, n, beta: beta, threshold: threshold), "lif");

    /// <summary>Spyx LIF in float32: s = H(V - theta) from the state before the input; V' = beta V + x - s theta.</summary>
    private static (float[,] Spikes, float[] V) LifReference(float[,] x, float beta, float theta, float[]? v0 = null)
    {
        int steps = x.GetLength(0), n = x.GetLength(1);
        var v = v0 is null ? new float[n] : (float[])v0.Clone();
        var s = new float[steps, n];
        for (var t = 0; t < steps; t++)
        {
            for (var i = 0; i < n; i++)
            {
                var spike = v[i] - theta > 0 ? 1f : 0f;
                s[t, i] = spike;
                v[i] = beta * v[i] + x[t, i] - spike * theta;
            }
        }
        return (s, v);
    }

    [Fact]
    public void SpikingEvolutionRasterisesRunsTheEquationsAndEmitsEventsAtBinMiddles()
    {
        const double dt = 1e-3;
        const int n = 4, steps = 120;
        var rng = new Random(7);
        var times = Enumerable.Range(0, 400).Select(_ => rng.NextDouble() * steps * dt).Order().ToArray();
        var channels = times.Select(_ => rng.Next(n)).ToArray();
        var input = new TSEvent(times, channels, tStart: 0, tStop: steps * dt, numChannels: n);
        var counts = new float[steps, n];
        for (var e = 0; e < times.Length; e++) counts[(int)Math.Floor(times[e] / dt), channels[e]]++;
        using var layer = SpyxLif(n, 0.9f, 1f);
        using var module = new TimedModule(layer, dt, spikingInput: true, spikingOutput: true, name: "lif");

        var (first, _, _) = module.Evolve(input, numTimesteps: 50);
        var (second, state, record) = module.Evolve(input, record: true);   // to the end of the input: 70 steps
        Assert.Equal(steps, module.Timestep);
        Assert.Equal(steps * dt, module.T, 12);

        var (spikes, v) = LifReference(counts, 0.9f, 1f);
        var expectedTimes = new List<double>();
        var expectedChannels = new List<int>();
        for (var t = 0; t < steps; t++)
            for (var i = 0; i < n; i++)
                if (spikes[t, i] > 0) { expectedTimes.Add(t * dt + dt / 2); expectedChannels.Add(i); }
        var output = (TSEvent)first;
        var merged = output.Merge((TSEvent)second);
        Assert.True(expectedTimes.Count > 10);
        Assert.Equal(expectedChannels, merged.Channels);
        Assert.Equal(expectedTimes.Count, merged.Count);
        for (var k = 0; k < expectedTimes.Count; k++) Assert.Equal(expectedTimes[k], merged.Times[k], 12);
        Assert.Equal(0.05, second.TStart, 12);
        Assert.Equal(v, (float[])state["membrane"]);
        var membrane = (TSContinuous)record["membrane"];
        Assert.Equal(70, membrane.Count);
        Assert.Equal(0.05, membrane.TStart, 12);
    }

    [Fact]
    public void StateCanBeSavedAndRestored()
    {
        var clocked = new double[40, 3];
        for (var t = 0; t < 40; t++) for (var i = 0; i < 3; i++) clocked[t, i] = 0.3 * ((t * 7 + i * 3) % 5);
        var input = TSContinuous.FromClocked(clocked, 1e-3);
        using var layer = SpyxLif(3, 0.8f, 1f);
        using var module = new TimedModule(layer, 1e-3, spikingOutput: true);
        var (_, saved, _) = module.Evolve(input, numTimesteps: 20);
        var (tail1, _, _) = module.Evolve(input, numTimesteps: 20);
        module.ResetState();
        Assert.Empty(module.State());
        module.T = 0.02;
        module.SetAttributes(saved);
        var (tail2, _, _) = module.Evolve(input, numTimesteps: 20);
        Assert.Equal(((TSEvent)tail1).Times, ((TSEvent)tail2).Times);
        Assert.Equal(((TSEvent)tail1).Channels, ((TSEvent)tail2).Channels);
        module.ResetAll();
        Assert.Equal(0, module.T);
    }

    [Fact]
    public void LeakyIntegratorParametersFamiliesAndConfig()
    {
        using var layer = new Population(NeuronModel.LeakyIntegrator(2, decay: 0.5f, gain: 2f, threshold: 0.75f), "li");
        using var module = new TimedModule(layer, 1e-3);
        Assert.Equal(["beta", "input_scale"], module.Parameters().Keys.Order());
        Assert.Equal(["beta"], module.Parameters("decays").Keys);
        module.SetAttribute("input_scale", new float[] { 1, 3 });
        Assert.Equal(new float[] { 1, 3 }, (float[])module.Parameters()["input_scale"]);
        module.ResetParameters();
        Assert.Equal(new float[] { 2, 2 }, (float[])module.Parameters()["input_scale"]);
        Assert.Equal(1e-3, (double)module.SimulationParameters()["dt"]);
        using var rebuilt = (Population)LayerRegistry.Create(layer.Describe(), Device.Default);
        var model = (NeuronModel)rebuilt.Model;
        Assert.Equal((NeuronKind.Lif, 0.75f, SpikeTiming.AfterInput, ResetMode.Subtract), (model.Kind, model.Threshold, model.SpikeTiming, model.ResetMode));
        Assert.Equal("li", rebuilt.Name);
        Assert.Equal(typeof(TSContinuous), module.InputType);
        Assert.Equal("TimedModule 'li'", module.FullName);
    }

    [Fact]
    public void SpikingInputAndOutputComeFromTheLayerUnlessGiven()
    {
        using var linear = new Snn.Connections.Linear(4, 3, seed: 1);
        using var lif = new Population(NeuronModel.Create(NeuronKind.Lif, 3), "lif");
        using var li = new Population(NeuronModel.Create(NeuronKind.Li, 3), "li");
        using var pool = new Snn.Connections.MaxPool2d(2, (4, 4), 1);
        using var average = new Snn.Connections.AvgPool2d(2, (4, 4), 1);
        using var integrator = new Population(NeuronModel.LeakyIntegrator(3));
        using var thresholded = new Population(NeuronModel.LeakyIntegrator(3, threshold: 1f));
        (Layer Layer, bool In, bool Out)[] expected =
        [
            (linear, true, false), (lif, false, true), (li, false, false), (pool, true, true), (average, true, false),
            (integrator, false, false), (thresholded, false, true),
        ];
        foreach (var (layer, spikesIn, spikesOut) in expected)
        {
            using var module = new TimedModule(layer, 1e-3);
            Assert.Equal((spikesIn, spikesOut), (module.SpikingInput, module.SpikingOutput));
            Assert.Equal(spikesIn ? typeof(TSEvent) : typeof(TSContinuous), module.InputType);
        }
        // A chain takes its first layer's input kind and its last layer's output kind; explicit flags win.
        using var chain = new Sequential(new Snn.Connections.Linear(4, 3, seed: 1, name: "fc"), new Population(NeuronModel.Create(NeuronKind.Lif, 3), "spk"));
        using (var module = new TimedModule(chain, 1e-3)) Assert.Equal((true, true), (module.SpikingInput, module.SpikingOutput));
        using (var module = new TimedModule(chain, 1e-3, spikingInput: false, spikingOutput: false))
            Assert.Equal((false, false), (module.SpikingInput, module.SpikingOutput));
        using var graph = new GraphBuilder([4]).Add(new Snn.Connections.Linear(4, 3, seed: 1, name: "fc"))
            .Add(new Population(NeuronModel.Create(NeuronKind.Li, 3), "out")).Build(output: "out");
        Assert.Equal((true, false), (graph.SpikingInput, graph.SpikingOutput));
        using var ffiaf = new Snn.Rockpool.FFIAF(new float[2, 3]);
        Assert.Equal((false, true), (ffiaf.SpikingInput, ffiaf.SpikingOutput));
    }

    [Fact]
    public void BadInputRaisesTypedErrors()
    {
        using var layer = new Population(NeuronModel.LeakyIntegrator(2));
        using var module = new TimedModule(layer, 1e-3);
        Assert.Contains("takes TSContinuous", Assert.Throws<SnnArgumentException>(() =>
            module.Evolve(new TSEvent(new[] { 0.0 }, tStop: 1))).Message);
        Assert.Contains("2 input channels", Assert.Throws<SnnArgumentException>(() =>
            module.Evolve(new TSContinuous(new double[] { 0 }, new double[1, 3], tStop: 1))).Message);
        Assert.Throws<SnnArgumentException>(() => module.Evolve());
        Assert.Throws<SnnArgumentException>(() => module.Evolve(numTimesteps: -2));
        Assert.Throws<SnnArgumentException>(() => new TimedModule(layer, double.NaN));
    }
}
