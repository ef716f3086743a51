using Snn.Networks;
using Snn.Neurons;
using Snn.PySnn;

namespace Snn.Tests.Neurons;

/// <summary>
/// PySNN's neurons through the C# API against <see cref="PySnnReference"/>, a plain loop written from PySNN's
/// update order (voltage unless refractory, spike, trace, threshold, refractory count and reset), compared bit for
/// bit; streaming, state handling, configs, and the typed errors of bad parameters and inputs.
/// </summary>
public class PySnnNeuronTests
{
    private const int Steps = 30, Batch = 3;

    /// <summary>The reference: one neuron, one step at a time, in float32.</summary>
    internal sealed class PySnnReference
    {
        public string Model = "lif";  // input, if, lif, alif
        public bool Exponential;
        public float Thresh = 1, VRest, AlphaV = 1, AlphaT = 1, Dt = 1, Refrac, TauV, TauT, AlphaThresh, TauThresh;

        public (float[] Spikes, float[] Trace, float[] V) Run(float[] x, int steps, int cells, float[] v, float[] tr, float[] rf, float[] th)
        {
            var n = x.Length / steps;
            float[] spikes = new float[x.Length], trace = new float[x.Length], vs = new float[x.Length];
            for (var t = 0; t < steps; t++)
            {
                for (var j = 0; j < n; j++)
                {
                    var e = t * n + j;
                    float s;
                    if (Model == "input")
                    {
                        s = x[e];
                    }
                    else
                    {
                        if (!(rf[j] > 0))
                        {
                            if (Model == "if") v[j] = v[j] + AlphaV * x[e];
                            else if (Exponential) v[j] = v[j] + Dt / TauV * (-(v[j] - VRest) + AlphaV * x[e]);
                            else v[j] = VRest + ((v[j] - VRest) * TauV + AlphaV * x[e]);
                        }
                        s = v[j] >= (Model == "alif" ? th[j] : Thresh) ? 1f : 0f;
                        if (Model == "alif")
                        {
                            th[j] = Exponential ? th[j] + Dt / TauThresh * (-(th[j] - Thresh) + AlphaThresh * s)
                                                : Thresh + ((th[j] - Thresh) * TauThresh + AlphaThresh * s);
                        }
                        var left = rf[j] - Dt;
                        rf[j] = (left < 0.5f * Dt ? 0f : left) + Refrac * s;
                        if (s == 1f) v[j] = VRest;
                    }
                    tr[j] = Exponential ? tr[j] + Dt / TauT * (-tr[j] + AlphaT * s) : tr[j] * TauT + AlphaT * s;
                    spikes[e] = s;
                    trace[e] = tr[j];
                    vs[e] = v[j];
                }
            }
            return (spikes, trace, vs);
        }
    }

    internal static TraceNeuron Make(string model, bool exponential, float refrac, long[] cells, out PySnnReference reference)
    {
        var update = exponential ? "exponential" : "linear";
        float tauV = exponential ? 3f : 0.8f, tauT = exponential ? 2f : 0.7f, tauTh = exponential ? 5f : 0.9f;
        const float dt = 0.5f, thresh = 1f, vRest = -0.2f, alphaT = 0.6f, alphaTh = 0.4f;
        var alphaV = exponential ? 2.5f : 0.7f;
        reference = new PySnnReference
        {
            Model = model, Exponential = exponential, Thresh = thresh, VRest = vRest, AlphaV = alphaV, AlphaT = alphaT,
            Dt = dt, Refrac = refrac, TauV = tauV, TauT = tauT, AlphaThresh = alphaTh, TauThresh = tauTh,
        };
        return model switch
        {
            "input" => new InputNeuron(cells, dt, alphaT, tauT, update),
            "if" => new IFNeuron(cells, thresh, vRest, alphaV, alphaT, dt, refrac, tauT, update),
            "lif" => new LIFNeuron(cells, thresh, vRest, alphaV, alphaT, dt, refrac, tauV, tauT, update),
            _ => new AdaptiveLIFNeuron(cells, thresh, vRest, alphaV, alphaT, dt, refrac, tauV, tauT, alphaTh, tauTh, update),
        };
    }

    internal static float[] Flat(Tensor tensor)
    {
        var values = new float[tensor.ElementCount];
        tensor.CopyTo<float>(values);
        return values;
    }

    private static void BitEqual(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    public static TheoryData<string, bool, float> Cases()
    {
        var data = new TheoryData<string, bool, float>();
        foreach (var model in new[] { "input", "if", "lif", "alif" })
            foreach (var exponential in new[] { false, true })
                foreach (var refrac in model == "input" ? new[] { 0f } : new[] { 0f, 1.5f })
                    data.Add(model, exponential, refrac);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheReferenceFromAnOffRestStateAcrossTwoCalls(string model, bool exponential, float refrac)
    {
        long[] cells = [4, 5];
        const int n = 20;
        using var layer = Make(model, exponential, refrac, cells, out var reference);
        var input = model == "input";
        var x = Reference.RandomArray(Steps * Batch * n, seed: 5, low: input ? 0 : -0.3f, high: input ? 2 : 1.4f);
        if (input) x = x.Select(MathF.Floor).ToArray();
        float[] v = Reference.RandomArray(Batch * n, 6, -0.5f, 0.9f), tr = Reference.RandomArray(Batch * n, 7, 0, 1);
        var rf = Enumerable.Range(0, Batch * n).Select(j => refrac > 0 && j % 4 == 0 ? 0.5f * (j % 3) : 0f).ToArray();
        var th = Reference.RandomArray(Batch * n, 8, 0.8f, 1.5f);
        var initial = new Dictionary<string, float[]> { ["v"] = v, ["trace"] = tr, ["refractory"] = rf, ["threshold"] = th };
        foreach (var (name, values) in initial)
        {
            if (!StateNames(model).Contains(name)) continue;
            using var t = Tensor.FromArray(values, [Batch, .. cells]);
            layer.SetState(name, t);
        }
        layer.Record([.. layer.Recordable]);
        var (spikes, trace, vs) = reference.Run(x, Steps, n, (float[])v.Clone(), (float[])tr.Clone(), (float[])rf.Clone(), (float[])th.Clone());
        var (sv, str, srf, sth) = ((float[])v.Clone(), (float[])tr.Clone(), (float[])rf.Clone(), (float[])th.Clone());
        reference.Run(x, Steps, n, sv, str, srf, sth);  // the final state

        var half = Steps / 2 * Batch * n;
        var got = new Dictionary<string, List<float>> { ["spikes"] = [], ["trace"] = [], ["v"] = [], ["rs"] = [], ["rt"] = [] };
        foreach (var (from, to) in new[] { (0, half), (half, x.Length) })
        {
            using var part = Tensor.FromArray(x[from..to], [(to - from) / (Batch * n), Batch, .. cells]);
            using var output = layer.Forward(part);
            Assert.Equal(new long[] { (to - from) / (Batch * n), Batch, cells[0], cells[1] }, output.Values.Shape);
            got["spikes"].AddRange(Flat(output.Values));
            got["trace"].AddRange(Flat(output.Trace!));
            got["rs"].AddRange(Flat(layer.Recorded["spikes"]));
            got["rt"].AddRange(Flat(layer.Recorded["trace"]));
            if (!input) got["v"].AddRange(Flat(layer.Recorded["v"]));
        }
        BitEqual(spikes, [.. got["spikes"]], "spikes");
        BitEqual(trace, [.. got["trace"]], "trace");
        BitEqual(spikes, [.. got["rs"]], "recorded spikes");
        BitEqual(trace, [.. got["rt"]], "recorded trace");
        if (!input) BitEqual(vs, [.. got["v"]], "recorded v");
        BitEqual(str, Flat(layer.State["trace"]), "state trace");
        if (!input)
        {
            BitEqual(sv, Flat(layer.State["v"]), "state v");
            BitEqual(srf, Flat(layer.State["refractory"]), "state refractory");
            var total = spikes.Sum();
            Assert.InRange(total, 10, spikes.Length * 0.9);  // the case is about something
        }
        if (model == "alif") BitEqual(sth, Flat(layer.State["threshold"]), "state threshold");
        Assert.Equal(StateNames(model).OrderBy(s => s), layer.State.Keys.OrderBy(s => s));
    }

    private static string[] StateNames(string model) => model switch
    {
        "input" => ["trace"],
        "alif" => ["v", "trace", "refractory", "threshold"],
        _ => ["v", "trace", "refractory"],
    };

    [Fact]
    public void StartsAtRestAndResetStateReturnsThere()
    {
        using var layer = new AdaptiveLIFNeuron(6, 1f, -0.5f, 1f, 1f, 1f, 2f, 0.9f, 0.8f, 0.5f, 0.95f);
        Assert.Empty(layer.State);
        var x = Reference.RandomArray(10 * 2 * 6, 3, 0, 1.5f);
        using var input = Tensor.FromArray(x, [10, 2, 6]);
        var reference = new PySnnReference
        {
            Model = "alif", Thresh = 1, VRest = -0.5f, AlphaV = 1, AlphaT = 1, Dt = 1, Refrac = 2, TauV = 0.9f, TauT = 0.8f,
            AlphaThresh = 0.5f, TauThresh = 0.95f,
        };
        float[] Rest(float value) => Enumerable.Repeat(value, 12).ToArray();
        var expected = reference.Run(x, 10, 6, Rest(-0.5f), Rest(0), Rest(0), Rest(1));
        using (var first = layer.Forward(input)) BitEqual(expected.Spikes, Flat(first.Values), "spikes from rest");
        Assert.Equal(4, layer.State.Count);
        layer.ResetState();
        Assert.Empty(layer.State);
        using (var again = layer.Forward(input)) BitEqual(expected.Spikes, Flat(again.Values), "spikes after reset");
        // Another batch size starts over from rest.
        var x3 = x.Concat(x[..60]).ToArray();
        using var wider = Tensor.FromArray(x3[..(10 * 3 * 6)], [10, 3, 6]);
        var expected3 = reference.Run(x3[..(10 * 3 * 6)], 10, 6, Enumerable.Repeat(-0.5f, 18).ToArray(), new float[18], new float[18],
            Enumerable.Repeat(1f, 18).ToArray());
        using (var third = layer.Forward(wider)) BitEqual(expected3.Spikes, Flat(third.Values), "spikes for a new batch size");
        Assert.Equal(new long[] { 3, 6 }, layer.State["v"].Shape);
    }

    // IF from rest at 0, constant input x, alpha_v 1: v_k = k x, a spike every ceil(thresh / x) steps, plus the
    // refractory steps. LIF (linear) from rest: v_k = x (1 - d^k) / (1 - d), first spike at the smallest k with
    // v_k >= thresh, so the period is that k plus the refractory steps.
    [Theory]
    [InlineData(0.25f, 0f)]
    [InlineData(0.125f, 3f)]
    public void IfFiresAtTheAnalyticRate(float current, float refrac)
    {
        using var layer = new IFNeuron(1, 1f, 0f, 1f, 1f, 1f, refrac, 0.5f);
        const int steps = 400;
        using var input = Tensor.Full([steps, 1, 1], current);
        using var output = layer.Forward(input);
        var period = (int)MathF.Ceiling(1f / current) + (int)refrac;
        Assert.Equal(steps / period, (int)Flat(output.Values).Sum());
        Assert.Equal(1f, Flat(output.Values)[(int)MathF.Ceiling(1f / current) - 1]);
    }

    [Fact]
    public void LinearLifFiresAtTheAnalyticRate()
    {
        const float x = 0.3f, d = 0.8f;
        // Smallest k with x (1 - d^k) / (1 - d) >= 1 (in exact arithmetic; no value lies near the threshold).
        var k = (int)Math.Ceiling(Math.Log(1 - (1 - d) / x) / Math.Log(d));
        using var layer = new LIFNeuron(1, 1f, 0f, 1f, 1f, 1f, 2f, d, 0.5f);
        using var input = Tensor.Full([300, 1, 1], x);
        using var output = layer.Forward(input);
        var spikes = Flat(output.Values);
        var times = Enumerable.Range(0, spikes.Length).Where(t => spikes[t] == 1f).ToArray();
        Assert.Equal(k - 1, times[0]);
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.Equal(k + 2, pair.Second - pair.First));
    }

    [Fact]
    public void ConfigRebuildsAnEquivalentLayer()
    {
        using var layer = new AdaptiveLIFNeuron([2, 3], 0.9f, 0.1f, 0.8f, 0.7f, 0.25f, 0.5f, 2f, 1.5f, 0.3f, 4f, "exponential");
        var config = layer.Config;
        Assert.Equal("AdaptiveLIFNeuron", config.TypeName);
        using var copy = (AdaptiveLIFNeuron)AdaptiveLIFNeuron.FromConfig(LayerConfig.FromJson(config.ToJson()), Device.Default);
        Assert.Equal(config.ToString(), copy.Config.ToString());
        Assert.Equal((0.9f, 0.1f, 0.8f, 0.7f, 0.25f, 0.5f, 2f, 1.5f, 0.3f, 4f, "exponential"),
            (copy.Thresh, copy.VRest, copy.AlphaV, copy.AlphaT, copy.Dt, copy.DurationRefrac, copy.TauV, copy.TauT, copy.AlphaThresh,
             copy.TauThresh, copy.UpdateType));
        var x = Reference.RandomArray(20 * 2 * 6, 9, 0, 2);
        using var input = Tensor.FromArray(x, [20, 2, 2, 3]);
        using var a = layer.Forward(input);
        using var b = copy.Forward(input);
        BitEqual(Flat(a.Values), Flat(b.Values), "spikes");
        Assert.True(Flat(a.Values).Sum() > 0);
        foreach (var (type, made) in new (string, Func<Layer>)[]
                 {
                     ("InputNeuron", () => InputNeuron.FromConfig(new InputNeuron(4, 1, 1, 0.5f).Config, Device.Default)),
                     ("IFNeuron", () => IFNeuron.FromConfig(new IFNeuron(4, 1, 0, 1, 1, 1, 0, 0.5f).Config, Device.Default)),
                     ("LIFNeuron", () => LIFNeuron.FromConfig(new LIFNeuron(4, 1, 0, 1, 1, 1, 0, 0.5f, 0.5f).Config, Device.Default)),
                 })
        {
            using var rebuilt = made();
            Assert.Equal(type, rebuilt.TypeName);
            Assert.Equal(new long[] { 4 }, rebuilt.InputShape);
        }
    }

    public static TheoryData<string, Func<Layer>, string> BadParameters() => new()
    {
        { "dt = 0", () => new IFNeuron(3, 1, 0, 1, 1, 0f, 0, 0.5f), "dt must be finite and > 0" },
        { "dt < 0", () => new InputNeuron(3, -1f, 1, 0.5f), "dt must be finite and > 0" },
        { "negative tau", () => new LIFNeuron(3, 1, 0, 1, 1, 1, 0, -2f, 1f, "exponential"), "tau_v must be a finite time constant > 0" },
        { "zero tau_t", () => new InputNeuron(3, 1, 1, 0f, "exponential"), "tau_t must be a finite time constant > 0" },
        { "decay > 1", () => new LIFNeuron(3, 1, 0, 1, 1, 1, 0, 1.5f, 0.5f), "tau_v must be a decay factor in [0, 1]" },
        { "trace decay < 0", () => new IFNeuron(3, 1, 0, 1, 1, 1, 0, -0.1f), "tau_t must be a decay factor in [0, 1]" },
        { "threshold decay > 1", () => new AdaptiveLIFNeuron(3, 1, 0, 1, 1, 1, 0, 0.5f, 0.5f, 0.1f, 2f), "tau_thresh must be a decay factor in [0, 1]" },
        { "negative refractory", () => new IFNeuron(3, 1, 0, 1, 1, 1, -1f, 0.5f), "duration_refrac must be finite and >= 0" },
        { "refractory not a multiple of dt", () => new IFNeuron(3, 1, 0, 1, 1, 0.5f, 0.75f, 0.5f), "not an integer multiple of dt" },
        { "NaN threshold", () => new LIFNeuron(3, float.NaN, 0, 1, 1, 1, 0, 0.5f, 0.5f), "thresh must be finite" },
        { "unknown update type", () => new IFNeuron(3, 1, 0, 1, 1, 1, 0, 0.5f, "cubic"), "update_type \"cubic\" is not supported" },
        { "empty cells", () => new IFNeuron(Array.Empty<long>(), 1, 0, 1, 1, 1, 0, 0.5f), "at least one dimension" },
        { "zero cells", () => new InputNeuron([3, 0], 1, 1, 0.5f), "every dimension >= 1" },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public void BadParametersThrowWithTheRule(string what, Func<Layer> make, string fragment)
    {
        var e = Assert.Throws<SnnArgumentException>(() => make().Dispose());
        Assert.Equal(ErrorCode.InvalidArgument, e.Code);
        Assert.True(e.Message.Contains(fragment, StringComparison.Ordinal), $"{what}: {e.Message}");
    }

    [Fact]
    public void BadInputsAndStatesThrowTypedExceptions()
    {
        using var layer = new LIFNeuron([2, 3], 1, 0, 1, 1, 1, 0, 0.5f, 0.5f);
        using var flat = Tensor.Zeros([4, 2, 6]);
        Assert.Contains("takes float32 [time, batch, 2, 3]", Assert.Throws<SnnArgumentException>(() => layer.Forward(flat)).Message);
        using var state = Tensor.Zeros([2, 3]);
        Assert.Contains("must be float32 [batch, 2, 3]", Assert.Throws<SnnArgumentException>(() => layer.SetState("v", state)).Message);
        using var good = Tensor.Zeros([5, 2, 3]);
        Assert.Contains("has no state variable \"threshold\"", Assert.Throws<SnnArgumentException>(() => layer.SetState("threshold", good)).Message);
        layer.SetState("v", good);
        using var other = Tensor.Zeros([4, 2, 3]);
        Assert.Contains("call ResetState first", Assert.Throws<SnnArgumentException>(() => layer.SetState("trace", other)).Message);
        using var input = new InputNeuron(3, 1, 1, 0.5f);
        Assert.Contains("cannot record \"v\"", Assert.Throws<SnnArgumentException>(() => input.Record("v")).Message);
        Assert.Equal(new[] { "spikes", "trace" }, input.Recordable);
        Assert.Equal(new[] { "spikes", "v", "trace" }, layer.Recordable);
    }
}
