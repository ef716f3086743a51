using Snn.Networks;
using Snn.Neurons;

namespace Snn.Tests.Networks;

/// <summary>
/// Sequential and Graph networks against references written from the equations. Weights are multiples of 1/8,
/// inputs 0/1 spikes and decays 0.5, so every sum is exact in float32 and the network must match the reference
/// bit for bit whatever order the GEMM or the recurrence adds in.
/// </summary>
public class NetworkTests
{
    private const int Steps = 30, Batch = 3, In = 7, Hidden = 6, Out = 4;

    private static float[] Dyadic(int length, int seed) =>
        Reference.RandomArray(length, seed).Select(v => MathF.Round(v * 12) / 8).ToArray();

    private static float[] Spikes(int length, int seed, double p = 0.35) =>
        Reference.RandomArray(length, seed, 0, 1).Select(v => v < p ? 1f : 0f).ToArray();

    private static float[] Flat(Tensor t)
    {
        var values = new float[t.ElementCount];
        t.CopyTo<float>(values);
        return values;
    }

    private static Population Lif(int size, string name) =>
        new(new NeuronModel(NeuronKind.Lif, size, 1f, SpikeTiming.AfterInput, ResetMode.Subtract) { Beta = 0.5f }, name);

    private static Sequential TwoLayerNet(float[] w1, float[] w2) => new(
        new TestDense(w1, In, Hidden, "fc1"), Lif(Hidden, "lif1"), new TestDense(w2, Hidden, Out, "fc2"), Lif(Out, "lif2"));

    /// <summary>The equations: I = s W^T, V' = 0.5 V + I, spike when V' &gt; 1, V' -= 1 (per layer).</summary>
    private static (float[] Out, float[] Hidden, float[] Membrane2) ReferenceNet(float[] x, float[] w1, float[] w2, int steps)
    {
        var h = Reference.Lif(Reference.Linear(x, steps * Batch, In, w1, Hidden, null), steps * Batch / Batch, Batch * Hidden, 0.5f, 1f, 0);
        var o = Reference.Lif(Reference.Linear(h.Spikes, steps * Batch, Hidden, w2, Out, null), steps, Batch * Out, 0.5f, 1f, 0);
        return (o.Spikes, h.Spikes, o.Membrane);
    }

    [Fact]
    public void SequentialMatchesTheEquationsAndRecordsAnyLayer()
    {
        float[] w1 = Dyadic(Hidden * In, 1), w2 = Dyadic(Out * Hidden, 2).Select(w => w + 0.5f).ToArray(), x = Spikes(Steps * Batch * In, 3);
        using var net = TwoLayerNet(w1, w2);
        net.Record("lif1.output", "lif2.membrane");
        using var input = Tensor.FromArray(x, [Steps, Batch, In]);
        using var output = net.Forward(input);
        var expected = ReferenceNet(x, w1, w2, Steps);
        Assert.Equal(new long[] { Steps, Batch, Out }, output.Values.Shape);
        Assert.Equal(expected.Out, Flat(output.Values));
        Assert.Equal(expected.Hidden, Flat(net.Recorded["lif1.output"]));
        Assert.Equal(expected.Membrane2, Flat(net.Recorded["lif2.membrane"]));
        Assert.True(expected.Out.Sum() > 5 && expected.Out.Sum() < expected.Out.Length - 5, $"the test must have spikes and silences, has {expected.Out.Sum()} of {expected.Out.Length}");
        Assert.Equal(["lif1.output", "lif2.membrane"], net.Recorded.Keys.Order());
    }

    [Fact]
    public void StreamingInPiecesEqualsOneCallAndResetStartsOver()
    {
        float[] w1 = Dyadic(Hidden * In, 4), w2 = Dyadic(Out * Hidden, 5), x = Spikes(Steps * Batch * In, 6);
        using var net = TwoLayerNet(w1, w2);
        using var input = Tensor.FromArray(x, [Steps, Batch, In]);
        using var first = input.Slice(0, 11);
        using var second = input.Slice(11, Steps - 11);
        using var a = net.Forward(first);
        using var b = net.Forward(second);
        var expected = ReferenceNet(x, w1, w2, Steps).Out;
        Assert.Equal(expected, Flat(a.Values).Concat(Flat(b.Values)));
        net.ResetState();
        Assert.Empty(net.State); // at rest: no membranes kept
        using var again = net.Forward(input);
        Assert.Equal(expected, Flat(again.Values));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(7L)]
    [InlineData(null)]
    public void TimeBlocksGiveTheResultOfOnePass(long? block)
    {
        float[] w1 = Dyadic(Hidden * In, 22), w2 = Dyadic(Out * Hidden, 23).Select(w => w + 0.5f).ToArray(), x = Spikes(Steps * Batch * In, 24);
        using var net = TwoLayerNet(w1, w2);
        net.TimeBlock = block;
        using var input = Tensor.FromArray(x, [Steps, Batch, In]);
        using var output = net.Forward(input);
        Assert.Equal(ReferenceNet(x, w1, w2, Steps).Out, Flat(output.Values));
        Assert.Throws<SnnArgumentException>(() => net.TimeBlock = -1);
    }

    [Fact]
    public void GraphWithoutRecurrenceEqualsSequentialAndMergesBySumming()
    {
        float[] w1 = Dyadic(Hidden * In, 7), w2 = Dyadic(Out * Hidden, 8), w3 = Dyadic(Out * In, 9), x = Spikes(Steps * Batch * In, 10);
        using var graph = new GraphBuilder([In])
            .Add(new TestDense(w1, In, Hidden, "fc1"))
            .Add(Lif(Hidden, "lif1"))
            .Add(new TestDense(w2, Hidden, Out, "fc2"))
            .Add(new TestDense(w3, In, Out, "skip"), GraphBuilder.InputName)
            .Add(Lif(Out, "lif2"), "fc2", "skip")
            .Build();
        using var input = Tensor.FromArray(x, [Steps, Batch, In]);
        using var output = graph.Forward(input);
        var h = Reference.Lif(Reference.Linear(x, Steps * Batch, In, w1, Hidden, null), Steps, Batch * Hidden, 0.5f, 1f, 0).Spikes;
        var main = Reference.Linear(h, Steps * Batch, Hidden, w2, Out, null);
        var skip = Reference.Linear(x, Steps * Batch, In, w3, Out, null);
        var merged = main.Zip(skip, (a, b) => a + b).ToArray();
        Assert.Equal(Reference.Lif(merged, Steps, Batch * Out, 0.5f, 1f, 0).Spikes, Flat(output.Values));
    }

    [Fact]
    public void RecurrentGraphRunsStepByStepLikeTheEquations()
    {
        float[] wIn = Dyadic(Hidden * In, 11), wRec = Dyadic(Hidden * Hidden, 12), x = Spikes(Steps * Batch * In, 13);
        using var graph = new GraphBuilder([In])
            .Add(new TestDense(wIn, In, Hidden, "fc"))
            .Add(Lif(Hidden, "lif"))
            .Add(new TestDense(wRec, Hidden, Hidden, "rec"))
            .AddRecurrent("rec", "lif")
            .Build(output: "lif");
        graph.Record("lif.membrane", "rec.output");
        using var input = Tensor.FromArray(x, [Steps, Batch, In]);
        using var first = input.Slice(0, 13);
        using var second = input.Slice(13, Steps - 13);
        using var a = graph.Forward(first);
        var membraneA = Flat(graph.Recorded["lif.membrane"]);
        using var b = graph.Forward(second); // streaming: the recurrent input and membranes carry over

        // The equations: V' = 0.5 V + x W_in^T + s_{t-1} W_rec^T; s = V' > 1; V' -= s.
        var fc = Reference.Linear(x, Steps * Batch, In, wIn, Hidden, null);
        var v = new float[Batch * Hidden];
        var s = new float[Batch * Hidden];
        var spikes = new float[Steps * Batch * Hidden];
        var membrane = new float[Steps * Batch * Hidden];
        for (var t = 0; t < Steps; t++)
        {
            var rec = Reference.Linear(s, Batch, Hidden, wRec, Hidden, null);
            for (var i = 0; i < Batch * Hidden; i++)
            {
                v[i] = 0.5f * v[i] + (fc[t * Batch * Hidden + i] + rec[i]);
                membrane[t * Batch * Hidden + i] = v[i];
                s[i] = v[i] > 1f ? 1f : 0f;
                v[i] -= s[i];
                spikes[t * Batch * Hidden + i] = s[i];
            }
        }
        Assert.Equal(spikes, Flat(a.Values).Concat(Flat(b.Values)));
        Assert.Equal(membrane.Take(13 * Batch * Hidden), membraneA);
        Assert.Equal(new long[] { Steps - 13, Batch, Hidden }, graph.Recorded["rec.output"].Shape);
        Assert.True(spikes.Sum() > 10, "the test must have spikes");
    }

    [Fact]
    public void SaveAndLoadRestoreArchitectureParametersAndState()
    {
        float[] w1 = Dyadic(Hidden * In, 14), w2 = Dyadic(Out * Hidden, 15), x = Spikes(Steps * Batch * In, 16);
        var path = Path.Combine(Path.GetTempPath(), $"snn-net-{Guid.NewGuid():N}.snn");
        try
        {
            using var input = Tensor.FromArray(x, [Steps, Batch, In]);
            using var first = input.Slice(0, 10);
            using var rest = input.Slice(10, Steps - 10);
            using var net = TwoLayerNet(w1, w2);
            using (net.Forward(first)) { }
            net.Save(path);
            using var expected = net.Forward(rest);

            using var loaded = Layer.Load(path);
            var sequential = Assert.IsType<Sequential>(loaded);
            Assert.Equal(["fc1", "lif1", "fc2", "lif2"], sequential.Layers.Select(l => l.Name));
            Assert.Equal(w1, Flat(loaded.Parameters["fc1.weight"]));
            using var actual = loaded.Forward(rest); // continues from the saved membranes
            Assert.Equal(Flat(expected.Values), Flat(actual.Values));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void RecurrentGraphsAndPerNeuronParametersSurviveSaveAndLoad()
    {
        var path = Path.Combine(Path.GetTempPath(), $"snn-graph-{Guid.NewGuid():N}.snn");
        try
        {
            var x = Spikes(Steps * Batch * In, 17);
            using var input = Tensor.FromArray(x, [Steps, Batch, In]);
            using var graph = new GraphBuilder([In])
                .Add(new TestDense(Dyadic(Hidden * In, 18), In, Hidden, "fc"))
                .Add(new Population(NeuronModel.Create(NeuronKind.Lif, Hidden, beta: null, seed: 3), "lif"))
                .Add(new TestDense(Dyadic(Hidden * Hidden, 19), Hidden, Hidden, "rec"))
                .AddRecurrent("rec", "lif")
                .Build(output: "lif");
            using (graph.Forward(input)) { }
            graph.Save(path);
            using var expected = graph.Forward(input);
            using var loaded = Layer.Load(path);
            Assert.Contains("rec.last_output", loaded.State.Keys);
            Assert.Equal(Flat(graph.Parameters["lif.beta"]), Flat(loaded.Parameters["lif.beta"]));
            using var actual = loaded.Forward(input);
            Assert.Equal(Flat(expected.Values), Flat(actual.Values));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ShapeMismatchesNameBothLayers()
    {
        var e = Assert.Throws<SnnArgumentException>(() =>
            new Sequential(new TestDense(new float[In * Hidden], In, Hidden, "fc1"), Lif(Out, "lif")));
        Assert.Contains("fc1", e.Message);
        Assert.Contains("lif", e.Message);
        Assert.Contains($"[{Hidden}]", e.Message);
        var builder = new GraphBuilder([In]).Add(new TestDense(new float[In * Hidden], In, Hidden, "fc"));
        e = Assert.Throws<SnnArgumentException>(() => builder.Add(Lif(Out, "lif2"), "fc"));
        Assert.Contains("fc outputs", e.Message);
        e = Assert.Throws<SnnArgumentException>(() => builder.Add(Lif(Hidden, "lif3"), "nowhere"));
        Assert.Contains("not in the graph yet", e.Message);
        using var net = TwoLayerNet(new float[Hidden * In], new float[Out * Hidden]);
        using var wrong = Tensor.Zeros([Steps, Batch, In + 1]);
        e = Assert.Throws<SnnArgumentException>(() => net.Forward(wrong));
        Assert.Contains("Sequential", e.Message);
        Assert.Throws<SnnArgumentException>(() => net.Record("lif1.nothing"));
    }

    [Fact]
    public void DamagedFilesGiveTypedErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"snn-bad-{Guid.NewGuid():N}.snn");
        try
        {
            File.WriteAllText(path, "not a network");
            Assert.Contains("not a saved snn network", Assert.Throws<NetworkFileException>(() => Layer.Load(path)).Message);
            using (var net = TwoLayerNet(Dyadic(Hidden * In, 20), Dyadic(Out * Hidden, 21))) net.Save(path);
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length - 40)]);
            Assert.Contains("outside the file", Assert.Throws<NetworkFileException>(() => Layer.Load(path)).Message);
            Assert.Throws<NetworkFileException>(() => Layer.Load(path + ".missing"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DisposedNetworksAndLayersRefuseWork()
    {
        var net = TwoLayerNet(new float[Hidden * In], new float[Out * Hidden]);
        var child = net[1];
        net.Dispose();
        using var input = Tensor.Zeros([1, 1, In]);
        Assert.Throws<ObjectDisposedException>(() => net.Forward(input));
        Assert.True(child.IsDisposed);
    }
}
