using Snn.Neurons;
using Snn.PySnn;

namespace Snn.Tests.Facades;

/// <summary>
/// A PySNN user's network written in C# with PySNN's positional signatures (Linear(in, out, batch_size, dt, delay),
/// Conv2d(in, out, kernel, im_dims, batch_size, dt, delay), MaxPool2d(kernel), the neurons' argument lists) and byte
/// spikes, against references written from PySNN's equations and the core trace population.
/// </summary>
public class PySnnFacadeTests
{
    private const int T = 25, B = 2, NIn = 6, NOut = 4;

    private static float[] Flat(Tensor t)
    {
        var values = new float[t.ElementCount];
        t.CopyTo<float>(values);
        return values;
    }

    [Fact]
    public void APySnnNetworkRunsAsWritten()
    {
        var rng = new Random(11);
        var x = new byte[T, B, NIn];
        foreach (var t in Enumerable.Range(0, T)) foreach (var b in Enumerable.Range(0, B)) foreach (var i in Enumerable.Range(0, NIn))
            x[t, b, i] = (byte)(rng.NextDouble() < 0.5 ? 1 : 0);
        using var fc = new Snn.PySnn.Linear(NIn, NOut, B, 1.0, 1.0); // batch_size B, dt 1, delay 1: one step
        using var neuron = new LIFNeuron(NOut, 1f, 0f, 0.6f, 1f, 1f, 0f, 0.8f, 0.5f);
        Assert.Equal((B, 1.0, 1.0, 1), (fc.BatchSize!.Value, fc.Dt, fc.Delay, fc.DelaySteps));
        using var potentials = fc.Invoke(x);
        var (values, synapseTrace) = potentials; // PySNN's (activation potentials, trace) pair
        Assert.Same(potentials.Values, values);
        Assert.Null(synapseTrace); // the summed potentials carry no per-synapse trace (docs/connections.md)
        var w = Flat(fc.Weight);
        Assert.All(w, v => Assert.InRange(v, 0f, 1f)); // PySNN's uniform(0, 1) start
        var a = Flat(potentials.Values);
        for (var t = 0; t < T; t++)
            for (var b = 0; b < B; b++)
                for (var o = 0; o < NOut; o++)
                {
                    var sum = 0.0;
                    if (t > 0) for (var i = 0; i < NIn; i++) sum += x[t - 1, b, i] * w[o * NIn + i];
                    Assert.Equal(sum, a[(t * B + b) * NOut + o], 1e-5);
                }
        using var output = neuron.Forward(potentials.Values);
        // PySNN's LIFNeuron, linear updates: v = v_rest + (v - v_rest) tau_v + alpha_v x; spike when v >= thresh,
        // reset to v_rest; trace = tau_t trace + alpha_t s.
        var v = new float[B * NOut];
        var trace = new float[B * NOut];
        var spikes = new float[a.Length];
        var traces = new float[a.Length];
        for (var k = 0; k < a.Length; k++)
        {
            var j = k % (B * NOut);
            v[j] = 0f + ((v[j] - 0f) * 0.8f + 0.6f * a[k]);
            var s = v[j] >= 1f ? 1f : 0f;
            if (s > 0) v[j] = 0f;
            trace[j] = trace[j] * 0.5f + 1f * s;
            (spikes[k], traces[k]) = (s, trace[j]);
        }
        Assert.Equal(spikes, Flat(output.Values));
        Assert.Equal(traces, Flat(output.Trace!));
        Assert.InRange(spikes.Sum(), 1, spikes.Length - 1);
    }

    [Fact]
    public void PySnnNeuronsAreTheCoreTracePopulation()
    {
        var rng = new Random(12);
        var x = Enumerable.Range(0, T * B * 6).Select(_ => (float)(rng.NextDouble() * 1.2 - 0.1)).ToArray();
        using var input = Tensor.FromArray(x, [T, B, 3, 2]);
        using var facade = new LIFNeuron([3, 2], 0.9f, -0.1f, 0.8f, 0.7f, 0.5f, 1f, 0.85f, 0.6f);
        using var core = new Population(new TraceNeuronModel(TraceNeuronKind.Lif, 0.5f, 0.7f, 0.6f, 0.9f, -0.1f, 0.8f, 1f, 0.85f), [3, 2]);
        using var a = facade.Forward(input);
        using var b = core.Forward(input);
        Assert.Equal(Flat(b.Values), Flat(a.Values));
        Assert.Equal(Flat(b.Trace!), Flat(a.Trace!));
        Assert.True(Flat(a.Values).Sum() > 0);
        Assert.Equal(("LIFNeuron", "Population"), (facade.TypeName, core.TypeName));
    }

    [Fact]
    public void BatchSizeIsCheckedNeverReadAsDt()
    {
        using var fc = new Snn.PySnn.Linear(NIn, NOut, 3, 0.5, 1.0); // batch_size 3, dt 0.5, delay 1.0: two steps
        Assert.Equal((3, 0.5, 2), (fc.BatchSize!.Value, fc.Dt, fc.DelaySteps));
        Assert.Contains("built for batch_size 3", Assert.Throws<SnnArgumentException>(() => fc.Invoke(new byte[4, 2, NIn])).Message);
        Assert.Contains("batch_size = 0 must be >= 1", Assert.Throws<SnnArgumentException>(() => new Snn.PySnn.Linear(NIn, NOut, 0, 1.0, 0.0)).Message);
    }

    [Fact]
    public void ConvAndPoolsTakePySnnArgumentsAndBoolSpikes()
    {
        var rng = new Random(13);
        var x = new bool[T, B, 1, 6, 6];
        foreach (var i in Enumerable.Range(0, x.Length)) x[i / 72, i / 36 % B, 0, i / 6 % 6, i % 6] = rng.NextDouble() < 0.3;
        using var conv = new Snn.PySnn.Conv2d(1, 2, 3, (6, 6), B, 1.0, 0.0);
        using var y = conv.Invoke(x);
        Assert.Equal(new long[] { T, B, 2, 4, 4 }, y.Values.Shape);
        var w = Flat(conv.Weight);
        var got = Flat(y.Values);
        for (var n = 0; n < T * B; n++)
            for (var o = 0; o < 2; o++)
                for (var r = 0; r < 4; r++)
                    for (var c = 0; c < 4; c++)
                    {
                        var sum = 0.0;
                        for (var i = 0; i < 3; i++)
                            for (var j = 0; j < 3; j++)
                                if (x[n / B, n % B, 0, r + i, c + j]) sum += w[o * 9 + i * 3 + j];
                        Assert.Equal(sum, got[((n * 2 + o) * 4 + r) * 4 + c], 1e-5);
                    }

        var spikes = new byte[1, 1, 1, 4, 4];
        var trace = new float[1, 1, 1, 4, 4];
        for (var i = 0; i < 16; i++) trace[0, 0, 0, i / 4, i % 4] = i;
        spikes[0, 0, 0, 1, 1] = spikes[0, 0, 0, 0, 3] = spikes[0, 0, 0, 1, 2] = 1; // window (0, 1) holds two spikes
        using var pool = new MaxPool2d(2);
        using var pooled = pool.Forward(spikes, trace);
        Assert.Equal(new float[] { 1, 1, 0, 0 }, Flat(pooled.Values));
        Assert.Equal(new float[] { 5, 3, 8, 10 }, Flat(pooled.Trace!)); // winners; ties to the first (top-left), empty windows too
        using var adaptive = new AdaptiveMaxPool2d(1);
        using var whole = adaptive.Forward(spikes, trace);
        Assert.Equal(new float[] { 1 }, Flat(whole.Values));
        Assert.Equal(new float[] { 3 }, Flat(whole.Trace!));
    }
}
