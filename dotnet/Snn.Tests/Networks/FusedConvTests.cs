using Snn.Connections;
using Snn.Networks;
using Snn.Neurons;

namespace Snn.Tests.Networks;

/// <summary>
/// Sequential runs a convolution, its IF/LIF population and a max pooling as one native call. The oracle is the same
/// layers run one by one through their own Forward: output and state must be equal bit for bit, over streamed calls,
/// at any thread count, and chains the fused call does not cover (recordings, refractory neurons) must still run.
/// </summary>
public class FusedConvTests
{
    private const int Steps = 23, Batch = 3;

    private static float[] Flat(Tensor t)
    {
        var values = new float[t.ElementCount];
        t.CopyTo<float>(values);
        return values;
    }

    private static Sequential Net(Device device, int refractory = 0)
    {
        var lif = new NeuronModel(NeuronKind.Lif, 8 * 12 * 12, 1f, SpikeTiming.AfterInput, ResetMode.Subtract, device) { Beta = 0.9f, RefractorySteps = refractory };
        var integrate = new NeuronModel(NeuronKind.If, 12 * 6 * 6, 0.8f, SpikeTiming.BeforeInput, ResetMode.Zero, device);
        var readout = new NeuronModel(NeuronKind.Lif, 5, 1f, SpikeTiming.AfterInput, ResetMode.Subtract, device) { Beta = 0.8f };
        var net = new Sequential(
            new Conv2d(2, 8, 3, (12, 12), padding: 1, seed: 1, device: device) { Name = "conv1" },
            new Population(lif, "lif1", [8, 12, 12]),
            new MaxPool2d(2, (12, 12), 8, device: device) { Name = "pool1" },
            new Conv2d(8, 12, 3, (6, 6), padding: 1, bias: true, seed: 2, device: device) { Name = "conv2" },
            new Population(integrate, "if2", [12, 6, 6]),
            new Flatten([12, 6, 6], device: device),
            new Linear(12 * 6 * 6, 5, seed: 3, device: device),
            new Population(readout, "out"));
        ((Conv2d)net["conv1"]).ResetWeights("kaiming_uniform", seed: 4);
        ((Conv2d)net["conv2"]).ResetWeights("kaiming_uniform", seed: 5);
        using var bias = Tensor.FromArray(Reference.RandomArray(12, 6, -0.2f, 0.3f));
        ((Conv2d)net["conv2"]).Bias!.CopyFrom(bias);
        return net;
    }

    private static Tensor Input(Device device, int steps, int seed) =>
        Tensor.FromArray(Reference.RandomArray(steps * Batch * 2 * 12 * 12, seed, 0, 1).Select(v => v < 0.3f ? 1f : 0f).ToArray(),
            [steps, Batch, 2, 12, 12], device);

    // The oracle: every layer's own Forward, one after the other.
    private static float[] OneByOne(Sequential net, Tensor input)
    {
        var current = new Signal(input, null, owns: false);
        foreach (var layer in net.Layers)
        {
            var next = layer.Forward(current);
            if (!ReferenceEquals(current.Values, input)) current.Dispose();
            current = next;
        }
        using (current) return Flat(current.Values);
    }

    private static Dictionary<string, float[]> StateOf(Layer net) => net.State.ToDictionary(kv => kv.Key, kv => Flat(kv.Value));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void FusedCallsEqualTheLayersRunOneByOne(int threads)
    {
        using var device = Device.Cpu(threads);
        using var net = Net(device);
        using var input = Input(device, Steps, 7);
        using var first = input.Slice(0, 9);
        using var second = input.Slice(9, Steps - 9);
        var expected = OneByOne(net, first).Concat(OneByOne(net, second)).ToArray();
        var expectedState = StateOf(net);
        Assert.Contains(1f, expected);
        net.ResetState();
        Assert.True(net.Fuse);
        using var a = net.Forward(first);
        using var b = net.Forward(second);
        Assert.Equal(expected, Flat(a.Values).Concat(Flat(b.Values)));
        Assert.Equal(expectedState, StateOf(net));

        net.Fuse = false; // the same network layer by layer, as before fusing existed
        net.ResetState();
        using var whole = net.Forward(input);
        Assert.Equal(expected, Flat(whole.Values));
    }

    [Fact]
    public void AnotherBatchSizeStartsFromRestAsThePopulationWould()
    {
        using var device = Device.Cpu(2);
        using var net = Net(device);
        using var input = Input(device, Steps, 8);
        using var small = Tensor.FromArray(Reference.RandomArray(5 * 1 * 2 * 12 * 12, 9, 0, 1).Select(v => v < 0.3f ? 1f : 0f).ToArray(),
            [5, 1, 2, 12, 12], device);
        using (net.Forward(input)) { }
        using var fused = net.Forward(small);
        net.ResetState();
        Assert.Equal(OneByOne(net, small), Flat(fused.Values));
    }

    [Fact]
    public void RecordedAndRefractoryChainsRunLayerByLayerWithTheSameResult()
    {
        using var device = Device.Cpu(2);
        using var input = Input(device, Steps, 10);
        using (var net = Net(device))
        {
            var expected = OneByOne(net, input);
            net.ResetState();
            net.Record("lif1.membrane", "pool1.output");
            using var output = net.Forward(input);
            Assert.Equal(expected, Flat(output.Values));
            Assert.Equal([Steps, Batch, 8, 12, 12], net.Recorded["lif1.membrane"].Shape);
            Assert.Equal([Steps, Batch, 8, 6, 6], net.Recorded["pool1.output"].Shape);
        }
        using (var net = Net(device, refractory: 2))
        {
            var expected = OneByOne(net, input);
            net.ResetState();
            using var output = net.Forward(input);
            Assert.Equal(expected, Flat(output.Values));
        }
    }
}
