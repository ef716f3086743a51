using Snn.EventDriven;
using Snn.Interop;

namespace Snn.Tests.EventDriven;

public class SpikingNetworkTests
{
    // Random inputs: index floor(u * nInputs), time duration * u', from a Philox stream.
    internal static (uint[] Indices, float[] Times) RandomInput(int count, int nInputs, float duration, ulong seed, ulong offset)
    {
        var indices = new uint[count];
        var times = new float[count];
        for (var k = 0; k < count; k++)
        {
            indices[k] = Math.Min((uint)(Reference.Uniform(seed, offset, 2 * k) * nInputs), (uint)nInputs - 1);
            times[k] = duration * Reference.Uniform(seed, offset, 2 * k + 1);
        }
        return (indices, times);
    }

    private static SpikeArray Sorted((uint[] Indices, float[] Times) input)
    {
        var spikes = new SpikeArray(input.Indices, input.Times);
        spikes.Sort();
        return spikes;
    }

    // 60 -> 40 -> 8; with 200 input spikes in 50 ms the hidden neurons fire up to ~40 times and the
    // output ones up to ~70 times, a strong but realistic drive (see docs/event-driven.md, float32).
    private static SpikingNetwork TwoLayers(int bufferSize = 64, Device? device = null)
    {
        Initializer.SetSeed(21);
        var net = new SpikingNetwork(device: device);
        net.AddFcLayer(60, 40, 0.01f, 0.5f, new UniformInitializer(-1f, 1f), bufferSize);
        net.AddFcLayer(40, 8, 0.005f, 0.5f, new UniformInitializer(-0.3f, 0.6f), bufferSize);
        return net;
    }

    [Fact]
    public void SpikesMatchAFineTimeStepSimulationOfTheFormula()
    {
        using var net = TwoLayers();
        var input = Sorted(RandomInput(200, 60, 0.05f, 5, 1));
        var output = net.Infer(input);
        Assert.Same(output, net.OutputLayer.PostSpikes);

        var layerInput = input;
        foreach (var layer in net)
        {
            var ours = layer.PostSpikes;
            Assert.True(ours.Count > 10, $"layer {layer.Index} should fire");
            const double dt = 1e-5;
            var reference = MembraneReference.Simulate(layer.Weights, layer.TauS, layer.Threshold, layerInput.Indices,
                layerInput.Times, dt, end: 0.12);
            Assert.Equal(reference.Count, ours.Count);
            // Same neurons at the same times within the grid step (order may differ inside one step).
            var expected = reference.OrderBy(s => s.Time).ToList();
            for (var k = 0; k < ours.Count; k++)
            {
                var match = expected.FindIndex(s => s.Index == ours[k].Index && Math.Abs(s.Time - ours[k].Time) <= dt);
                Assert.True(match >= 0, $"layer {layer.Index}: spike {k} ({ours[k]}) has no reference spike within {dt} s");
                expected.RemoveAt(match);
            }
            layerInput = ours;
        }
    }

    [Fact]
    public void EverySpikeSitsOnTheThresholdAndNoCrossingIsMissed()
    {
        using var net = TwoLayers();
        var input = Sorted(RandomInput(200, 60, 0.05f, 6, 2));
        net.Infer(input);
        var layerInput = input;
        foreach (var layer in net)
        {
            var ours = layer.PostSpikes;
            var own = new List<double>[layer.NNeurons];
            for (var i = 0; i < own.Length; i++) own[i] = [];
            foreach (var spike in ours)
            {
                var u = MembraneReference.Membrane(layer.Weights, (int)spike.Index, layer.TauS, layer.Threshold,
                    layerInput.Indices, layerInput.Times, own[spike.Index], spike.Time);
                Assert.True(Math.Abs(u - layer.Threshold) < 1e-4, $"layer {layer.Index}, {spike}: u = {u}, not the threshold");
                own[spike.Index].Add(spike.Time);
            }
            // Between spikes the membrane never rises above the threshold: no crossing was skipped.
            for (var i = 0; i < layer.NNeurons; i++)
                for (var t = 0.0; t < 0.1; t += 2e-5)
                {
                    var u = MembraneReference.Membrane(layer.Weights, i, layer.TauS, layer.Threshold, layerInput.Indices,
                        layerInput.Times, own[i], t);
                    Assert.True(u < layer.Threshold + 1e-4, $"layer {layer.Index}, neuron {i}: u({t}) = {u} is above the threshold");
                }
            layerInput = ours;
        }
    }

    [Fact]
    public void SameSpikesForEveryBufferSizeThreadCountAndBatchSplit()
    {
        var samples = Enumerable.Range(0, 5).Select(s => Sorted(RandomInput(60 + 40 * s, 60, 0.05f, 7, (ulong)s))).ToList();
        samples.Insert(2, new SpikeArray());
        List<(SpikeArray Hidden, SpikeArray Output)> expected;
        using (var one = TwoLayers())
        {
            expected = samples.Select(s =>
            {
                var output = one.Infer(s);
                return (one[0].PostSpikes, output);
            }).ToList();
        }
        Assert.Contains(expected, e => e.Output.Count > 0);

        foreach (var threads in new[] { 1, 2 })
            foreach (var bufferSize in new[] { 1, 2, 64 })
            {
                using var device = Device.Cpu(threads);
                using var net = TwoLayers(bufferSize, device);
                var outputs = net.InferBatch(samples);
                Assert.Equal(samples.Count, net.BatchSize);
                for (var s = 0; s < samples.Count; s++)
                {
                    Assert.True(BitEqual(expected[s].Output, outputs[s]), $"{threads} threads, buffer {bufferSize}, sample {s}");
                    Assert.True(BitEqual(expected[s].Hidden, net[0].GetPostSpikes(s)), $"{threads} threads, buffer {bufferSize}, sample {s}");
                    Assert.Equal(Counts(expected[s].Hidden, 40), net[0].GetNSpikes(s));
                }
            }
    }

    [Fact]
    public void InferWithIndicesAndTimesSortsThemFirst()
    {
        using var net = TwoLayers();
        var (indices, times) = RandomInput(100, 60, 0.05f, 8, 0);
        var (indicesBefore, timesBefore) = ((uint[])indices.Clone(), (float[])times.Clone());
        var fromArrays = net.Infer(indices, times);
        Assert.True(BitEqual(fromArrays, net.Infer(Sorted((indices, times)))));
        Assert.Equal(indicesBefore, indices); // the caller's arrays are not reordered
        Assert.Equal(timesBefore, times);
        Assert.False(new SpikeArray(indices, times).IsSorted(), "the test data should be unsorted");
    }

    [Fact]
    public void WritingTheWeightsChangesTheNextInference()
    {
        Initializer.SetSeed(3);
        using var net = new SpikingNetwork();
        var layer = net.AddFcLayer(10, 5, 0.01f, 0.5f, new ConstantInitializer());
        var input = Sorted(RandomInput(40, 10, 0.05f, 9, 0));
        Assert.Empty(net.Infer(input));
        Assert.Equal(new uint[5], layer.NSpikes);
        layer.Weights[2, 3] = 3f;                         // through the live array
        var output = net.Infer(input);
        Assert.NotEmpty(output);
        Assert.All(output, s => Assert.Equal(2u, s.Index));
        Assert.Equal((uint)output.Count, layer.NSpikes[2]);
        layer.Weights = new float[5, 10];                 // the setter copies
        Assert.Empty(net.Infer(input));
        var shape = Assert.Throws<SnnArgumentException>(() => layer.Weights = new float[10, 5]);
        Assert.Contains("needs weights [n_neurons, n_inputs] = [5, 10], got [10, 5]", shape.Message);
    }

    [Fact]
    public void LayersReportTheirParametersAndTheNetworkItsLayers()
    {
        using var net = TwoLayers(bufferSize: 7);
        Assert.Equal(2, net.Count);
        Assert.Same(net[1], net.OutputLayer);
        Assert.Equal(new[] { 60, 40 }, net.Select(l => l.NInputs));
        var first = net[0];
        Assert.Equal((60, 40, 0.01f, 0.02f, 0.5f, 7, 0), (first.NInputs, first.NNeurons, first.TauS, first.Tau, first.Threshold, first.BufferSize, first.Index));
        Assert.Equal(new[] { 40, 60 }, new[] { first.Weights.GetLength(0), first.Weights.GetLength(1) });
        Assert.Empty(first.PostSpikes);                   // before any inference
        Assert.Equal(SpikingNetwork.DefaultCompilePath, net.CompilePath);
        Assert.Equal("SpikingNetwork(2 layers: 60 -> 40 -> 8)", net.ToString());
    }

    [Fact]
    public void InitializersAreSeededAndDrawTheirDistributions()
    {
        Initializer.SetSeed(77);
        Assert.Equal(77ul, Initializer.Seed);
        using var a = new SpikingNetwork();
        var u = a.AddFcLayer(200, 100, 0.01f, 0.5f, new UniformInitializer(-0.07f, 0.07f)).Weights;
        var n = a.AddFcLayer(100, 300, 0.01f, 0.5f, new NormalInitializer(0.5f, 2f)).Weights;
        var c = a.AddFcLayer(300, 4, 0.01f, 0.5f, new ConstantInitializer(0.25f)).Weights;
        Assert.All(u.Cast<float>(), w => Assert.InRange(w, -0.07f, 0.07f));
        Assert.All(c.Cast<float>(), w => Assert.Equal(0.25f, w));
        var normal = n.Cast<float>().Select(w => (double)w).ToArray();
        Assert.InRange(normal.Average(), 0.45, 0.55);
        Assert.InRange(Math.Sqrt(normal.Select(w => (w - 0.5) * (w - 0.5)).Average()), 1.95, 2.05);
        // Uniform weights are exactly lower + (upper - lower) * u over Philox stream (seed, layer's stream number),
        // evaluated in double from the float32 bounds and rounded once (snn_random_fill).
        double lo = -0.07f, hi = 0.07f;
        for (var i = 0; i < 200; i++)
            Assert.Equal((float)(lo + (hi - lo) * Reference.Uniform(77, 0, i)), u[0, i]);

        Initializer.SetSeed(77);
        using var b = new SpikingNetwork();
        Assert.Equal(u, b.AddFcLayer(200, 100, 0.01f, 0.5f, new UniformInitializer(-0.07f, 0.07f)).Weights);
        Assert.NotEqual(u, b.AddFcLayer(100, 200, 0.01f, 0.5f, new UniformInitializer(-0.07f, 0.07f)).Weights);

        Assert.Contains("swap them", Assert.Throws<SnnArgumentException>(() => new UniformInitializer(1, -1)).Message);
        Assert.Contains("stddev must be >= 0", Assert.Throws<SnnArgumentException>(() => new NormalInitializer(0, -1)).Message);
        Assert.Contains("must be finite", Assert.Throws<SnnArgumentException>(() => new ConstantInitializer(float.NaN)).Message);
    }

    [Fact]
    public void BadInputsAndBadLayersRaiseTypedErrorsThatSayWhatToDo()
    {
        using var net = TwoLayers();
        var unsorted = new SpikeArray([1u, 2u, 3u], [0.02f, 0.01f, 0.03f]);
        var error = Assert.Throws<SnnArgumentException>(() => net.Infer(unsorted));
        Assert.Contains("spike 1 at 0.01 s comes after spike 0 at 0.02 s", error.Message);
        Assert.Contains("call Sort()", error.Message);
        Assert.Contains("sample 1", Assert.Throws<SnnArgumentException>(() => net.InferBatch([new SpikeArray(), unsorted])).Message);
        Assert.Contains("has index 60 but the first layer has 60 inputs",
            Assert.Throws<SnnArgumentException>(() => net.Infer([60u], [0.01f])).Message);
        Assert.Contains("spike 0 has time -0.5",
            Assert.Throws<SnnArgumentException>(() => net.Infer([1u], [-0.5f])).Message);
        Assert.Contains("time inf", Assert.Throws<SnnArgumentException>(() => net.Infer([1u], [float.PositiveInfinity])).Message);
        Assert.Contains("time NaN", Assert.Throws<ArgumentException>(() => net.Infer([1u], [float.NaN])).Message);

        var mismatch = Assert.Throws<SnnArgumentException>(() => net.AddFcLayer(5, 3, 0.01f, 0.5f, new ConstantInitializer()));
        Assert.Contains("layer 2 would have nInputs = 5 but layer 1 has 8 neurons", mismatch.Message);
        Assert.Contains("tau_s must be finite and > 0",
            Assert.Throws<SnnArgumentException>(() => net.AddFcLayer(8, 3, 0f, 0.5f, new ConstantInitializer())).Message);
        Assert.Contains("threshold must be finite and > 0",
            Assert.Throws<SnnArgumentException>(() => net.AddFcLayer(8, 3, 0.01f, float.NaN, new ConstantInitializer())).Message);
        Assert.Contains("buffer_size must be >= 1",
            Assert.Throws<SnnArgumentException>(() => net.AddFcLayer(8, 3, 0.01f, 0.5f, new ConstantInitializer(), 0)).Message);
        Assert.Contains("nNeurons >= 1",
            Assert.Throws<SnnArgumentException>(() => net.AddFcLayer(8, 0, 0.01f, 0.5f, new ConstantInitializer())).Message);
        Assert.Equal(2, net.Count);

        var outputs = net.InferBatch([Sorted(RandomInput(80, 60, 0.05f, 10, 0)), new SpikeArray()]);
        Assert.Contains("GetPostSpikes(sample)", Assert.Throws<InvalidOperationException>(() => net[0].PostSpikes).Message);
        Assert.Contains("pass a sample in [0, 2)", Assert.Throws<ArgumentOutOfRangeException>(() => net[0].GetPostSpikes(2)).Message);
        Assert.Same(outputs[1], net[1].GetPostSpikes(1));

        using var empty = new SpikingNetwork();
        Assert.Contains("add one with AddFcLayer", Assert.Throws<InvalidOperationException>(() => empty.Infer(new SpikeArray())).Message);
        Assert.Throws<InvalidOperationException>(() => empty.OutputLayer);
    }

    [Fact]
    public void DisposingReleasesTheNetworkAndLeavesTheWeightsReadable()
    {
        _ = Device.Default;                               // created once per process, never released
        var live = NativeHandle.Live;
        var finalized = NativeHandle.FinalizedWithoutDispose;
        float[,] weights;
        FcLayer layer;
        using (var net = TwoLayers())
        {
            net.Infer(Sorted(RandomInput(50, 60, 0.05f, 11, 0)));
            layer = net[0];
            weights = layer.Weights;
            net.Dispose();
            Assert.True(net.IsDisposed);
            Assert.Throws<ObjectDisposedException>(() => net.Infer(new SpikeArray()));
            Assert.Throws<ObjectDisposedException>(() => layer.PostSpikes);
        }
        Assert.Equal(live, NativeHandle.Live);
        Assert.Same(weights, layer.Weights);
        Assert.Contains(weights.Cast<float>(), w => w != 0);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Equal(finalized, NativeHandle.FinalizedWithoutDispose);
    }

    internal static bool BitEqual(SpikeArray a, SpikeArray b) =>
        a.Indices.SequenceEqual(b.Indices) &&
        a.Times.Select(BitConverter.SingleToInt32Bits).SequenceEqual(b.Times.Select(BitConverter.SingleToInt32Bits));

    private static uint[] Counts(SpikeArray spikes, int neurons)
    {
        var counts = new uint[neurons];
        foreach (var s in spikes) counts[s.Index]++;
        return counts;
    }
}
