using Snn.Connections;
using Snn.Networks;
using Snn.Neurons;
using Snn.Spyx;

namespace Snn.Tests.Facades;

/// <summary>
/// A Spyx user's network written in C# with Spyx's names and arguments (hidden_shape, beta as None, a number or
/// per-neuron values, activation naming a surrogate), checked against Spyx's equations in float32 (dyadic values, so
/// every step is exact) and against the core Population configured alike.
/// </summary>
public class SpyxFacadeTests
{
    private const int T = 30, B = 3, NIn = 6, H = 5, C = 2;

    private static float[] Dyadic(int seed, int count)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => rng.Next(-8, 9) / 8f).ToArray();
    }

    private static float[] Run(Layer layer, float[] x, long[] shape)
    {
        using var input = Tensor.FromArray(x, shape);
        using var output = layer.Forward(input);
        return Flat(output.Values);
    }

    private static float[] Flat(Tensor t)
    {
        var values = new float[t.ElementCount];
        t.CopyTo<float>(values);
        return values;
    }

    /// <summary>Spyx's LIF over [T, width]: s = H(V - theta) before the step; V' = beta V + x - s theta.</summary>
    private static float[] LifReference(float[] x, int width, Func<int, float> beta, float theta)
    {
        var v = new float[width];
        var spikes = new float[x.Length];
        for (var t = 0; t < x.Length / width; t++)
            for (var i = 0; i < width; i++)
            {
                var s = v[i] > theta ? 1f : 0f;
                v[i] = beta(i) * v[i] + x[t * width + i] - s * theta;
                spikes[t * width + i] = s;
            }
        return spikes;
    }

    private static float[] LiReference(float[] x, int width, float beta)
    {
        var v = new float[width];
        var output = new float[x.Length];
        for (var t = 0; t < x.Length / width; t++)
            for (var i = 0; i < width; i++) output[t * width + i] = v[i] = beta * v[i] + x[t * width + i];
        return output;
    }

    private static float[] Project(float[] x, int nIn, float[] w, int nOut) // x [rows, nIn] @ w [nIn, nOut]
    {
        var rows = x.Length / nIn;
        var y = new float[rows * nOut];
        for (var r = 0; r < rows; r++)
            for (var o = 0; o < nOut; o++)
                for (var i = 0; i < nIn; i++) y[r * nOut + o] += x[r * nIn + i] * w[i * nOut + o];
        return y;
    }

    private static float[] Transposed(float[] w, int rows, int cols)
    {
        var t = new float[w.Length];
        for (var r = 0; r < rows; r++) for (var c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c];
        return t;
    }

    [Fact]
    public void ASpyxNetworkMatchesTheEquations()
    {
        float[] w1 = Dyadic(1, NIn * H), w2 = Dyadic(2, H * C);
        var rng = new Random(3);
        var x = Enumerable.Range(0, T * B * NIn).Select(_ => rng.NextDouble() < 0.4 ? 1f : 0f).ToArray();
        var fc1 = new Linear(NIn, H, name: "fc1");
        var fc2 = new Linear(H, C, name: "fc2");
        fc1.Weight.CopyFrom(Transposed(w1, NIn, H));
        fc2.Weight.CopyFrom(Transposed(w2, H, C));
        // Spyx: hk.DeepRNN([hk.Linear(H), snn.LIF((H,), beta=0.5), hk.Linear(C), snn.LI((C,), beta=0.5)])
        using var net = new Sequential(fc1, new LIF([H], beta: 0.5f, activation: "superspike"), fc2, new LI([C], beta: 0.5f));
        net.Record("LIF.output");
        var readout = Run(net, x, [T, B, NIn]);
        var hidden = Flat(net.Recorded["LIF.output"]);
        var expected = LifReference(Project(x, NIn, w1, H), B * H, _ => 0.5f, 1f);
        Assert.Equal(expected, hidden);
        Assert.InRange(hidden.Sum(), 1, hidden.Length - 1);
        Assert.Equal(LiReference(Project(expected, H, w2, C), B * C, 0.5f), readout);
    }

    public static TheoryData<string> Kinds() => ["IF", "LIF", "LI", "ALIF", "CuBaLIF", "RIF", "RLIF", "RCuBaLIF"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EachSpyxNeuronIsTheCorePopulationConfiguredAlike(string kind)
    {
        (Population Spyx, NeuronModel Core) pair = kind switch
        {
            "IF" => (new IF([H], threshold: 0.75f), NeuronModel.Create(NeuronKind.If, H, threshold: 0.75f)),
            "LIF" => (new LIF([H], seed: 4), NeuronModel.Create(NeuronKind.Lif, H, seed: 4)),
            "LI" => (new LI([H]), NeuronModel.Create(NeuronKind.Li, H)),
            "ALIF" => (new ALIF([H], beta: 0.9f, seed: 5), NeuronModel.Create(NeuronKind.Alif, H, beta: 0.9f, seed: 5)),
            "CuBaLIF" => (new CuBaLIF([H], alpha: 0.7f, seed: 6), NeuronModel.Create(NeuronKind.CubaLif, H, alpha: 0.7f, seed: 6)),
            "RIF" => (new RIF([H], seed: 7), NeuronModel.Create(NeuronKind.If, H, recurrent: true, seed: 7)),
            "RLIF" => (new RLIF([H], beta: 0.8f, seed: 8), NeuronModel.Create(NeuronKind.Lif, H, beta: 0.8f, recurrent: true, seed: 8)),
            _ => (new RCuBaLIF([H], seed: 9), NeuronModel.Create(NeuronKind.CubaLif, H, recurrent: true, seed: 9)),
        };
        using var spyx = pair.Spyx;
        using var core = new Population(pair.Core);
        Assert.Equal(spyx.Parameters.Keys.Order(), core.Parameters.Keys.Order());
        foreach (var (name, tensor) in spyx.Parameters) Assert.Equal(Flat(core.Parameters[name]), Flat(tensor));
        var rng = new Random(5);
        var x = Enumerable.Range(0, T * B * H).Select(_ => (float)(rng.NextDouble() * 1.6 - 0.4)).ToArray();
        Assert.Equal(Run(core, x, [T, B, H]), Run(spyx, x, [T, B, H]));
        Assert.Equal(kind, spyx.Name);
        Assert.Equal("Population", spyx.TypeName);
    }

    [Fact]
    public void ConvShapedPopulationTakesPerNeuronDecays()
    {
        long[] shape = [4, 3, 2]; // Spyx's conv layers are NHWC: hidden_shape (H, W, C)
        var rng = new Random(6);
        var beta = new float[4, 3, 2];
        var flatBeta = new float[24];
        for (var i = 0; i < 24; i++) beta[i / 6, i / 2 % 3, i % 2] = flatBeta[i] = new[] { 0.25f, 0.5f, 0.75f }[rng.Next(3)];
        var x = Dyadic(7, T * B * 24).Select(v => 2 * v).ToArray();
        using var lif = new LIF(shape, beta: beta, threshold: 1f);
        Assert.Equal(shape, lif.HiddenShape);
        Assert.Equal(flatBeta, Flat(lif.Parameters["beta"]));
        Assert.Equal(LifReference(x, B * 24, i => flatBeta[i % 24], 1f), Run(lif, x, [T, B, .. shape]));
        Assert.Contains("one value per neuron", Assert.Throws<SnnArgumentException>(() => new LIF(shape, beta: new float[5])).Message);
    }

    [Fact]
    public void ActivationNamesASurrogateAndInitialStateIsZero()
    {
        foreach (var name in SpyxNeuron.Surrogates)
        {
            using var lif = new LIF([3], activation: name);
            Assert.Equal(name, lif.Activation);
        }
        Assert.Contains("not one of Spyx's surrogates", Assert.Throws<SnnArgumentException>(() => new LIF([3], activation: "relu")).Message);
        using var cell = new RCuBaLIF([H]);
        using var state = cell.InitialState(4);
        Assert.Equal(new long[] { 4, H }, state.Membrane.Shape);
        Assert.All(Flat(state.Current!), v => Assert.Equal(0f, v));
        Assert.Equal(new long[] { H, H }, cell.Parameters["recurrent_weight"].Shape);
    }

    [Fact]
    public void ACoreStepsAsHaikuCallsIt()
    {
        var x = Dyadic(8, T * B * H).Select(v => 2 * v).ToArray();
        using var lif = new LIF([H], beta: 0.5f);
        var state = lif.InitialState(B);
        var steps = new List<float>();
        for (var t = 0; t < T; t++)
        {
            using var input = Tensor.FromArray(x[(t * B * H)..((t + 1) * B * H)], [B, H]);
            var (spikes, next) = lif.Invoke(input, state);
            using (spikes) steps.AddRange(Flat(spikes));
            state.Dispose();
            state = next;
        }
        state.Dispose();
        var whole = Run(lif, x, [T, B, H]);
        Assert.Equal(whole, steps);
        Assert.Equal(LifReference(x, B * H, _ => 0.5f, 1f), whole);
    }

    /// <summary>Haiku's time_major=False layout: Unroll of [B, T, ...] is the time-major run with both axes swapped,
    /// element by element, and the population's state carries over as in a time-major run.</summary>
    [Fact]
    public void UnrollTakesTheBatchMajorLayout()
    {
        const int steps = 24, batch = 3, n = 4;
        var x = Dyadic(31, steps * batch * n).Select(v => 2 * v).ToArray();
        var batchMajor = new float[x.Length];
        for (var t = 0; t < steps; t++)
            for (var b = 0; b < batch; b++)
                Array.Copy(x, (t * batch + b) * n, batchMajor, (b * steps + t) * n, n);
        using var reference = new LIF([n], beta: 0.5f);
        var timeMajor = Run(reference, x, [steps, batch, n]);
        Assert.Contains(1f, timeMajor);
        using var lif = new LIF([n], beta: 0.5f);
        using var input = Tensor.FromArray(batchMajor, [batch, steps, n]);
        using var output = lif.Unroll(input, timeMajor: false);
        Assert.Equal([(long)batch, steps, n], output.Shape);
        var got = Flat(output);
        for (var t = 0; t < steps; t++)
            for (var b = 0; b < batch; b++)
                for (var k = 0; k < n; k++) Assert.Equal(timeMajor[(t * batch + b) * n + k], got[(b * steps + t) * n + k]);
        using var again = Tensor.FromArray(x, [steps, batch, n]);
        using var continued = lif.Unroll(again);
        Assert.Equal(Run(reference, x, [steps, batch, n]), Flat(continued)); // both continue from the same state
    }
}
