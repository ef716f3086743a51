using Snn.EventDriven;

namespace Snn.Tests.EventDriven;

/// <summary>Layers with custom callbacks compiled at run time (examples/event_driven/*.cpp).</summary>
public sealed class CallbackLayerTests : IDisposable
{
    private readonly string _compilePath = Path.Combine(Path.GetTempPath(), $"snn-event-callbacks-{Guid.NewGuid():N}");

    private static string Example(string name) => Path.Combine(Repo.Root, "examples", "event_driven", name);

    public void Dispose()
    {
        if (Directory.Exists(_compilePath)) Directory.Delete(_compilePath, recursive: true);
    }

    [Fact]
    public void AnStdpLayerFiresLikeAPlainLayerAndKeepsItsTraces()
    {
        Initializer.SetSeed(8);
        using var plain = new SpikingNetwork();
        var a = plain.AddFcLayer(60, 20, 0.01f, 0.5f, new UniformInitializer(-0.3f, 1f));
        Initializer.SetSeed(8);
        using var custom = new SpikingNetwork(_compilePath);
        var b = custom.AddFcLayerFromSource(Example("stdp.cpp"), 60, 20, 0.01f, 0.5f, new UniformInitializer(-0.3f, 1f));
        Assert.Equal(a.Weights, b.Weights);
        Assert.Equal((2, 1), (b.SynapticTraceCount, b.NeuronTraceCount));
        Assert.Equal((0, 0), (a.SynapticTraceCount, a.NeuronTraceCount));
        Assert.Equal(Example("stdp.cpp"), b.SourcePath);
        Assert.Null(a.SourcePath);
        Assert.Equal(new float[20, 60, 2], b.SynapticTraces);   // zeros before any inference

        var (indices, times) = SpikingNetworkTests.RandomInput(150, 60, 0.05f, 12, 0);
        var ours = custom.Infer(indices, times);
        Assert.True(SpikingNetworkTests.BitEqual(plain.Infer(indices, times), ours));
        Assert.True(ours.Count > 20);

        // The documented order, per neuron: pre trace +1 and eligibility -= post trace at an input;
        // post trace +1, then eligibility += pre trace for every synapse, at an output spike.
        var input = new SpikeArray(indices, times);
        input.Sort();
        var synaptic = b.SynapticTraces;
        var neuron = b.NeuronTraces;
        double tau = b.Tau;
        for (var n = 0; n < 20; n++)
        {
            var own = ours.Where(s => s.Index == n).Select(s => (double)s.Time).ToList();
            var events = input.Select(s => (Time: (double)s.Time, Input: (int)s.Index)).Concat(own.Select(t => (Time: t, Input: -1)))
                .OrderBy(e => e.Time).ThenBy(e => e.Input >= 0 ? 0 : 1).ToList();
            var pre = new double[60];
            var eligibility = new double[60];
            double post = 0, now = 0;
            foreach (var (time, inputIndex) in events)
            {
                var decay = Math.Exp(-(time - now) / tau);
                post *= decay;
                for (var j = 0; j < 60; j++) pre[j] *= decay;
                now = time;
                if (inputIndex >= 0)
                {
                    pre[inputIndex] += 1;
                    eligibility[inputIndex] -= post;
                }
                else
                {
                    post += 1;
                    for (var j = 0; j < 60; j++) eligibility[j] += pre[j];
                }
            }
            Assert.True(Math.Abs(neuron[n, 0] - post) < 1e-4, $"neuron {n}: post trace {neuron[n, 0]} vs {post}");
            for (var j = 0; j < 60; j++)
            {
                // Traces are each neuron's values at its last event; the reference stops at the last event too.
                Assert.True(Math.Abs(synaptic[n, j, 0] - pre[j]) < 1e-4, $"neuron {n}, synapse {j}: pre {synaptic[n, j, 0]} vs {pre[j]}");
                Assert.True(Math.Abs(synaptic[n, j, 1] - eligibility[j]) < 1e-3, $"neuron {n}, synapse {j}: eligibility {synaptic[n, j, 1]} vs {eligibility[j]}");
            }
        }
    }

    [Fact]
    public void SourcesAreCompiledOnceAndCachedByContent()
    {
        using var net = new SpikingNetwork(_compilePath);
        net.AddFcLayerFromSource(Example("basic_traces.cpp"), 10, 4, 0.01f, 0.5f, new ConstantInitializer(1f));
        var libraries = Directory.GetFiles(_compilePath, "*.so", SearchOption.AllDirectories);
        Assert.Single(libraries);
        var built = File.GetLastWriteTimeUtc(libraries[0]);
        net.AddFcLayerFromSource(Example("basic_traces.cpp"), 4, 3, 0.01f, 0.5f, new ConstantInitializer(0.2f));
        Assert.Equal(libraries, Directory.GetFiles(_compilePath, "*.so", SearchOption.AllDirectories));
        Assert.Equal(built, File.GetLastWriteTimeUtc(libraries[0]));

        // Another file with the same name but other content gets its own library.
        var other = Path.Combine(_compilePath, "elsewhere", "basic_traces.cpp");
        Directory.CreateDirectory(Path.GetDirectoryName(other)!);
        File.WriteAllText(other, File.ReadAllText(Example("empty.cpp")));
        var layer = net.AddFcLayerFromSource(other, 3, 2, 0.01f, 0.5f, new ConstantInitializer(0.2f));
        Assert.Equal(2, Directory.GetFiles(_compilePath, "libbasic_traces.so", SearchOption.AllDirectories).Length);
        Assert.Equal((0, 0), (layer.SynapticTraceCount, layer.NeuronTraceCount));
        Assert.Equal(3, net.Count);

        var output = net.Infer([0u, 3u, 7u, 9u], [0.001f, 0.002f, 0.003f, 0.004f]);
        Assert.NotNull(output);
        var first = net[0];
        Assert.Equal(new[] { 1f, 1f }, new[] { first.SynapticTraces[0, 0, 1], first.SynapticTraces[3, 7, 1] });   // input counts
        Assert.Equal(first.NSpikes.Select(c => (float)c), Enumerable.Range(0, 4).Select(n => first.NeuronTraces[n, 0]));
    }

    [Fact]
    public void BadSourcesRaiseTypedErrorsWithTheCompilerOutput()
    {
        using var net = new SpikingNetwork(_compilePath);
        var missing = Assert.Throws<FileNotFoundException>(() =>
            net.AddFcLayerFromSource(Path.Combine(_compilePath, "nope.cpp"), 3, 2, 0.01f, 0.5f, new ConstantInitializer()));
        Assert.Contains("does not exist", missing.Message);

        Directory.CreateDirectory(_compilePath);
        var broken = Path.Combine(_compilePath, "broken.cpp");
        File.WriteAllText(broken, "#include <snn/event_callbacks.h>\nnamespace snn_callbacks { TraceTaus traces_tau(float, float) { return {{1.0f}, {}} } }\n");
        var error = Assert.Throws<CallbackCompilationException>(() =>
            net.AddFcLayerFromSource(broken, 3, 2, 0.01f, 0.5f, new ConstantInitializer()));
        Assert.Contains("broken.cpp", error.CompilerOutput);
        Assert.Contains("error", error.CompilerOutput);
        Assert.Contains("The compiler said:", error.Message);
        Assert.Equal(broken, error.SourcePath);

        // Compiles, but lacks callbacks: the linker-free shared library cannot be loaded as one.
        var incomplete = Path.Combine(_compilePath, "incomplete.cpp");
        File.WriteAllText(incomplete, "#include <snn/event_callbacks.h>\nnamespace snn_callbacks { TraceTaus traces_tau(float, float) { return {}; } }\n");
        var load = Assert.Throws<SnnArgumentException>(() =>
            net.AddFcLayerFromSource(incomplete, 3, 2, 0.01f, 0.5f, new ConstantInitializer()));
        Assert.Contains("could not load the callback library", load.Message);
        Assert.Contains("undefined symbol", load.Message);
        Assert.Empty(net);
    }

    [Fact]
    public void RewardModulatedStdpLearnsAToyTask()
    {
        // Two classes: inputs 0-19 or 20-39 each fire once in the first 20 ms, plus 5 random inputs.
        // Two output neurons learn, from the STDP eligibility and a reward (target - count), to answer
        // their class with the most spikes.
        Initializer.SetSeed(3);
        using var net = new SpikingNetwork(_compilePath);
        var output = net.AddFcLayerFromSource(Example("stdp.cpp"), 40, 2, 0.01f, 0.5f, new UniformInitializer(0f, 0.4f));
        var random = new Random(0);
        SpikeArray Sample(int label)
        {
            var indices = Enumerable.Range(20 * label, 20).Concat(Enumerable.Range(0, 5).Select(_ => random.Next(40))).Select(i => (uint)i).ToArray();
            var times = indices.Select(_ => 0.02f * random.NextSingle()).ToArray();
            var spikes = new SpikeArray(indices, times);
            spikes.Sort();
            return spikes;
        }
        double Accuracy()
        {
            var hits = 0;
            for (var k = 0; k < 100; k++)
            {
                net.Infer(Sample(k % 2));
                var counts = output.NSpikes;
                if (counts[k % 2] > counts[1 - k % 2]) hits++;
            }
            return hits / 100.0;
        }

        var before = Accuracy();
        for (var step = 0; step < 300; step++)
        {
            var label = random.Next(2);
            net.Infer(Sample(label));
            var counts = output.NSpikes;
            var eligibility = output.SynapticTraces;
            var weights = output.Weights;
            for (var i = 0; i < 2; i++)
            {
                var error = (i == label ? 5f : 0f) - counts[i];
                for (var j = 0; j < 40; j++) weights[i, j] += 0.002f * eligibility[i, j, 1] * error;
            }
        }
        var after = Accuracy();
        Assert.True(before < 0.7, $"the untrained layer should not solve the task (accuracy {before})");
        Assert.True(after > 0.95, $"R-STDP should learn the task (accuracy {before} -> {after})");
    }
}
