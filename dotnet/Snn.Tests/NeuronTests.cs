using Snn.Connections;
using Snn.Layers;
using Snn.Neurons;

namespace Snn.Tests;

public class NeuronTests
{
    /// <summary>snnTorch's LIF as the clock-driven family configures it: spike after the input, decay checked, not clamped.</summary>
    private static NeuronModel Lif(int n, float beta = 0.9f, float threshold = 1f, ResetMode reset = ResetMode.Subtract) =>
        new(NeuronKind.Lif, n, threshold, SpikeTiming.AfterInput, reset) { Beta = beta, ClipDecays = false };

    [Theory]
    [InlineData(ResetMode.Subtract, 0.9f, 1.0f)]
    [InlineData(ResetMode.Zero, 0.5f, 0.3f)]
    [InlineData(ResetMode.None, 1.0f, 2.0f)]
    [InlineData(ResetMode.Subtract, 0.0f, 0.1f)]
    public void LifMatchesTheEquationsExactly(ResetMode reset, float beta, float threshold)
    {
        const int steps = 40, batch = 3, n = 17;
        var current = Reference.RandomArray(steps * batch * n, seed: 11, low: -0.5f, high: 1.5f);
        var initial = Reference.RandomArray(batch * n, seed: 12);
        using var input = Tensor.FromArray(current, [steps, batch, n]);
        using var lif = Lif(n, beta, threshold, reset);
        using var state = lif.InitialState(batch);
        state.Membrane.CopyFrom(initial);
        using var output = lif.Forward(input, state, record: true);
        var (spikes, membrane, final) = Reference.Lif(current, steps, batch * n, beta, threshold, (int)reset, initial);
        Assert.Equal(spikes, Flat(output.Output));
        Assert.Equal(membrane, Flat(output.Membrane!));
        Assert.Equal(final, Flat(output.State.Membrane));
        Assert.Equal(initial, Flat(state.Membrane)); // the caller's state is not modified
        Assert.Contains(1f, spikes);
    }

    [Fact]
    public void StreamingInTwoHalvesEqualsOneRun()
    {
        const int steps = 30, n = 9;
        var current = Reference.RandomArray(steps * n, seed: 3, low: 0, high: 0.8f);
        using var lif = Lif(n, 0.8f, 1f);
        using var whole = Tensor.FromArray(current, [steps, 1, n]);
        using var first = Tensor.FromArray(current[..(15 * n)], [15, 1, n]);
        using var second = Tensor.FromArray(current[(15 * n)..], [15, 1, n]);
        using var all = lif.Forward(whole);
        using var a = lif.Forward(first);
        using var b = lif.Forward(second, a.State);
        Assert.Equal(Flat(all.Output), Flat(a.Output).Concat(Flat(b.Output)).ToArray());
        Assert.Equal(Flat(all.State.Membrane), Flat(b.State.Membrane));
        Assert.Null(all.Membrane);
    }

    [Theory]
    [InlineData(float.NaN, 1f)]
    [InlineData(1.5f, 1f)]
    [InlineData(-0.1f, 1f)]
    [InlineData(0.9f, 0f)]
    [InlineData(0.9f, -1f)]
    [InlineData(0.9f, float.NaN)]
    [InlineData(0.9f, float.PositiveInfinity)]
    public void InvalidParametersAreRejected(float beta, float threshold)
    {
        using var input = Tensor.Zeros([2, 1, 3]);
        using var lif = Lif(3, beta, threshold);
        var error = Assert.Throws<SnnArgumentException>(() => lif.Forward(input));
        Assert.Contains(float.IsNaN(beta) || beta is < 0 or > 1 ? "beta" : "threshold", error.Message);
    }

    [Fact]
    public void ShapeErrorsNameTheProblem()
    {
        using var lif = Lif(3);
        using var flat = Tensor.Zeros([4, 3]);
        Assert.Contains("[time, batch, features]", Assert.Throws<SnnArgumentException>(() => lif.Forward(flat)).Message);
        using var noSteps = Tensor.Zeros([0, 1, 3]);
        Assert.Throws<SnnArgumentException>(() => lif.Forward(noSteps));
        using var input = Tensor.Zeros([2, 1, 3]);
        using var wider = Lif(4);
        using var wrongState = wider.InitialState(1);
        Assert.Throws<SnnArgumentException>(() => lif.Forward(input, wrongState));
        lif.ResetMode = (ResetMode)7;
        Assert.Throws<SnnArgumentException>(() => lif.Forward(input));
    }

    [Fact]
    public void DenseMatchesANaiveProductAndInitialisesLikePyTorch()
    {
        using var linear = new Dense(13, 7, seed: 5);
        var w = Flat(linear.Weight);
        var b = Flat(linear.Bias!);
        var bound = 1 / Math.Sqrt(13);
        Assert.All(w.Concat(b), v => Assert.InRange(v, -bound, bound));
        using (var same = new Dense(13, 7, seed: 5)) Assert.Equal(w, Flat(same.Weight));
        using (var other = new Dense(13, 7, seed: 6)) Assert.NotEqual(w, Flat(other.Weight));

        var x = Reference.RandomArray(4 * 5 * 13, seed: 8);
        using var input = Tensor.FromArray(x, [4, 5, 13]);
        using var y = linear.Forward(input);
        Assert.Equal(new long[] { 4, 5, 7 }, y.Shape);
        var expected = Reference.Linear(x, 20, 13, w, 7, b);
        Assert.All(expected.Zip(Flat(y)), pair => Assert.Equal(pair.First, pair.Second, 1e-5f));

        using var noBias = new Dense(13, 7, bias: false);
        Assert.Null(noBias.Bias);
        using var wrong = Tensor.Zeros([2, 12]);
        Assert.Throws<SnnArgumentException>(() => linear.Forward(wrong));
    }

    [Fact]
    public void DenseLifIsLinearThenLif()
    {
        const int steps = 25, batch = 4, nIn = 30, nOut = 12;
        using var layer = new DenseLif(nIn, nOut, beta: 0.85f, threshold: 0.4f, seed: 9);
        var x = Reference.RandomArray(steps * batch * nIn, seed: 1, low: 0, high: 1).Select(v => v < 0.3f ? 1f : 0f).ToArray();
        using var input = Tensor.FromArray(x, [steps, batch, nIn]);
        var currents = Reference.Linear(x, steps * batch, nIn, Flat(layer.Weight), nOut, Flat(layer.Bias!));
        var (spikes, membrane, state) = Reference.Lif(currents, steps, batch * nOut, 0.85f, 0.4f, 0);
        for (var repeat = 0; repeat < 2; repeat++) // the second call reuses the workspace
        {
            layer.ResetState(); // each call starts from rest
            layer.Record(repeat == 0 ? ["membrane"] : []);
            using var output = layer.Forward(input);
            var got = Flat(output.Values);
            // BLAS sums in its own order: allow spikes to differ only where the membrane sits at the threshold.
            for (var i = 0; i < got.Length; i++)
                if (got[i] != spikes[i]) Assert.InRange(Math.Abs(membrane[i] - 0.4f), 0, 1e-4);
            Assert.True(got.Sum() > 0);
            if (repeat == 0) Assert.All(membrane.Zip(Flat(layer.Recorded["membrane"])), p => Assert.Equal(p.First, p.Second, 1e-3f));
            else Assert.False(layer.Recorded.ContainsKey("membrane"));
            Assert.All(state.Zip(Flat(layer.State["membrane"])), p => Assert.Equal(p.First, p.Second, 1e-3f));
        }
        Assert.Equal(nIn, layer.InFeatures);
        Assert.Equal(nOut, layer.OutFeatures);
        layer.Threshold = -1;
        Assert.Throws<SnnArgumentException>(() => layer.Forward(input));
    }

    private static float[] Flat(Tensor tensor)
    {
        var values = new float[tensor.ElementCount];
        tensor.CopyTo<float>(values);
        return values;
    }
}
