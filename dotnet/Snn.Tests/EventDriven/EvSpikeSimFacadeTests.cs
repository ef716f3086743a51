using Snn.EvSpikeSim;
using Snn.EvSpikeSim.Initializers;

namespace Snn.Tests.EventDriven;

/// <summary><c>Snn.EvSpikeSim</c>: EvSpikeSim's names and defaults over the core event-driven types.</summary>
public sealed class EvSpikeSimFacadeTests : IDisposable
{
    private readonly string _compilePath = Path.Combine(Path.GetTempPath(), $"snn-evspikesim-facade-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_compilePath)) Directory.Delete(_compilePath, recursive: true);
    }

    [Fact]
    public void SeedStyleCodeRunsOnTheCoreTypes()
    {
        // EvSpikeSim's demos/example.py, written in C#.
        random.SetSeed(42);
        using var network = new Snn.EvSpikeSim.SpikingNetwork();
        Assert.Equal("/tmp/evspikesim", network.CompilePath);
        var init = new UniformInitializer();
        Assert.Equal((-1f, 1f), (init.LowerBound, init.UpperBound));
        var layer = network.AddFcLayer(10, 100, 0.010f, 0.1f, init);
        var output = network.Infer([0u, 8, 2, 4], [0.010f, 0.015f, 0.012f, 0.011f]);
        Assert.Equal(output.Count, (int)layer.NSpikes.Sum(n => n));
        Assert.True(output.Count > 0);

        Snn.EventDriven.Initializer.SetSeed(42);
        using var core = new Snn.EventDriven.SpikingNetwork();
        core.AddFcLayer(10, 100, 0.01f, 0.1f, new Snn.EventDriven.UniformInitializer(-1f, 1f));
        Assert.Equal(core[0].Weights, layer.Weights);
        var input = new Snn.EvSpikeSim.SpikeArray([0u, 8, 2, 4], [0.010f, 0.015f, 0.012f, 0.011f]);
        input.Sort();
        Assert.True(SpikingNetworkTests.BitEqual(core.Infer(input), network.Infer(input)));
        Assert.Equal(42ul, random.GetSeed());
        Assert.Equal((0f, 1f), (new NormalInitializer().Mean, new NormalInitializer().Stddev));
        Assert.Equal(0f, new ConstantInitializer().Value);
    }

    [Fact]
    public void EvSpikeSimCallbackSourcesCompileUnchangedThroughTheFacade()
    {
        var root = Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "peers", "EvSpikeSim", "demos", "callbacks"));
        Assert.True(Directory.Exists(root), $"EvSpikeSim's sources are expected at {root} (a test oracle kept beside the repository)");
        random.SetSeed(3);
        using var network = new Snn.EvSpikeSim.SpikingNetwork(_compilePath, compat: Snn.EventDriven.SpikingNetwork.EvSpikeSimCompat);
        var basic = network.AddFcLayerFromSource(Path.Combine(root, "BasicTraces.cpp"), 30, 10, 0.01f, 0.5f, new UniformInitializer(-0.2f, 0.8f));
        var stdp = network.AddFcLayerFromSource(Path.Combine(root, "STDP.cpp"), 10, 4, 0.01f, 0.3f, new UniformInitializer(0f, 1f));
        Assert.Equal((2, 0), (basic.SynapticTraceCount, basic.NeuronTraceCount));
        Assert.Equal((2, 1), (stdp.SynapticTraceCount, stdp.NeuronTraceCount));
        var (indices, times) = SpikingNetworkTests.RandomInput(200, 30, 0.05f, 5, 0);
        network.Infer(indices, times);
        // BasicTraces: trace 1 of synapse j accumulates trace 0 at each output spike; trace 0 counts inputs with decay.
        var counts = basic.NSpikes;
        var traces = basic.SynapticTraces;
        for (var n = 0; n < 10; n++)
            for (var j = 0; j < 30; j++)
            {
                var through = indices.Count(i => i == j);
                Assert.True(traces[n, j, 0] <= through + 1e-4f);
                if (counts[n] == 0) Assert.Equal(0f, traces[n, j, 1]);
            }
        Assert.True(stdp.PostSpikes.Count > 0);
    }
}
