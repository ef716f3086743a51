using Snn.Networks;
using Snn.Neurons;

namespace Snn.Tests.Neurons;

/// <summary>
/// A population of current-driven IAF neurons (CurrentIafModel, what Rockpool's FFIAF computes) from C#: the analytic firing period and the closed-form membrane (independent of our
/// code), exact against RK4, streaming, the layer contract, and typed errors. The Brian2 oracle runs in
/// python/tests/test_ffiaf.py. Parity recipe shared with that file (FfiafParity): per case (seed 21, 22),
/// w [6, 9] = 0.05 * u (Philox stream (seed, offset 1)), x [40, 2, 6] = u (stream (seed, offset 2)), bias 0.012;
/// case "rk4_noise": noise_std 2e-3, refractory 5e-4, seed 5, rk4; case "exact": no noise, no refractory, exact;
/// record spikes and v; Forward(x[:20]) then Forward(x[20:]); every array goes as raw float32 to
/// $SNN_SCENARIO_OUT/csharp/ffiaf/&lt;case&gt;/&lt;array&gt;.bin.
/// </summary>
public class CurrentIafTests
{
    private const double Dt = 1e-4, Tau = 0.02, VThresh = -0.055, VReset = -0.065, VRest = -0.065;

    private static float[] Flat(Tensor t) => ((Array)t.ToArray()).Cast<float>().ToArray();

    private static (float[] Spikes, float[] V) Run(Population layer, float[] x, long steps, long batch)
    {
        layer.Record("spikes", "v");
        using var input = Tensor.FromArray(x, [steps, batch, layer.InputShape[0]]);
        using var output = layer.Forward(input);
        var spikes = Flat(output.Values);
        Assert.Equal(spikes, Flat(layer.Recorded["spikes"]));
        return (spikes, Flat(layer.Recorded["v"]));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-4)]
    [InlineData(2.5e-3)]
    public void FiresWithTheAnalyticPeriod(double refractory)
    {
        // Constant current I from v_reset: P = tau ln((RI + v_rest - v_reset) / (RI + v_rest - v_thresh)); spikes
        // every ceil(P / dt) + k - 1 steps with k = round(refractory / dt) (Brian2's count), within a step of P + refractory.
        const int steps = 10000;
        float[] currents = [10.5e-3f, 15e-3f, 20e-3f, 50e-3f];
        using var layer = new Population(new CurrentIafModel(new float[1, 4], currents, refractory: refractory));
        var (spikes, _) = Run(layer, new float[steps], steps, 1);
        var k = (int)Math.Floor(refractory / Dt + 1e-3);
        for (var n = 0; n < 4; n++)
        {
            double i = currents[n];
            var p0 = Tau * Math.Log((i + VRest - VReset) / (i + VRest - VThresh));
            var at = Enumerable.Range(0, steps).Where(t => spikes[t * 4 + n] != 0).ToArray();
            Assert.True(at.Length > 10);
            var expected = (int)Math.Ceiling(p0 / Dt) + Math.Max(k - 1, 0);
            for (var j = 1; j < at.Length; j++) Assert.Equal(expected, at[j] - at[j - 1]);
            Assert.True(Math.Abs(expected * Dt - (p0 + refractory)) <= Dt * (1 + 1e-9));
        }
    }

    [Fact]
    public void SubthresholdMembraneFollowsTheClosedForm()
    {
        // v(t) = v_inf + (v_rest - v_inf) exp(-(t + 1) dt / tau) after step t, v_inf = v_rest + R (x @ w + bias).
        const int steps = 1500;
        var w = new float[,] { { 0.5f, 1.0f } };
        using var layer = new Population(new CurrentIafModel(w, 1e-3));
        var x = Enumerable.Repeat(8e-3f, steps).ToArray();
        var (spikes, v) = Run(layer, x, steps, 1);
        Assert.All(spikes, s => Assert.Equal(0f, s));
        for (var n = 0; n < 2; n++)
        {
            var vInf = VRest + (double)(8e-3f * w[0, n] + (float)1e-3);
            for (var t = 0; t < steps; t += 37)
                Assert.Equal(vInf + (VRest - vInf) * Math.Exp(-(t + 1) * Dt / Tau), v[t * 2 + n], 1e-6);
        }
    }

    [Fact]
    public void ExactAndRk4AgreeAndStreamingEqualsOneCall()
    {
        const int steps = 400, batch = 2, nIn = 3, n = 20;
        var rng = new Random(4);
        var w = new float[nIn, n];
        for (var i = 0; i < nIn; i++)
            for (var j = 0; j < n; j++) w[i, j] = (float)rng.NextDouble();
        var x = Enumerable.Range(0, steps * batch * nIn).Select(_ => (float)(rng.NextDouble() * 0.02)).ToArray();
        using var exact = new Population(new CurrentIafModel(w, 2e-3, refractory: 1e-3, noiseStd: 1e-3, seed: 3));
        using var rk4 = new Population(new CurrentIafModel(w, 2e-3, refractory: 1e-3, noiseStd: 1e-3, seed: 3, integrator: "rk4"));
        var (se, ve) = Run(exact, x, steps, batch);
        var (sr, vr) = Run(rk4, x, steps, batch);
        Assert.True(se.Sum() > 50);
        Assert.Equal(se, sr); // gains differ by h^5 / 120: only float rounding
        for (var i = 0; i < ve.Length; i++) Assert.Equal(ve[i], vr[i], 1e-6);

        exact.ResetState();
        Assert.Empty(exact.State);
        var cut = 150 * batch * nIn;
        var (s1, v1) = Run(exact, x[..cut], 150, batch);
        var (s2, v2) = Run(exact, x[cut..], steps - 150, batch);
        Assert.Equal(se, s1.Concat(s2).ToArray());
        Assert.Equal(ve, v1.Concat(v2).ToArray());
        Assert.Equal((ulong)steps, exact.StepCount);
        Assert.Equal(ve[^(batch * n)..], Flat(exact.State["v"]));
    }

    [Fact]
    public void LayerContract()
    {
        using var layer = new Population(new CurrentIafModel(new float[3, 4], [1e-3f, 2e-3f, 3e-3f, 4e-3f], refractory: 1e-3,
            integrator: "rk4", seed: 9), "ff");
        Assert.Equal("ff", layer.Name);
        Assert.Equal("Population", layer.TypeName);
        var model = Assert.IsType<CurrentIafModel>(layer.Model);
        Assert.Equal([3L], layer.InputShape);
        Assert.Equal([4L], layer.OutputShape);
        Assert.Equal(9, model.RefractorySteps);
        Assert.Equal(["bias", "weights"], layer.Parameters.Keys.Order());
        Assert.Equal(["spikes", "v"], layer.Recordable);
        using var v = Tensor.Full([2, 4], -0.056);
        layer.SetState("v", v);
        Assert.All(Flat(layer.State["v"]), x => Assert.Equal(-0.056f, x));
        Assert.All(Flat(layer.State["refractory"]), x => Assert.Equal(0f, x));

        using var copy = (Population)Population.FromConfig(LayerConfig.FromJson(layer.Config.ToJson()), Device.Default);
        Assert.Equal(layer.Config.ToString(), copy.Config.ToString());
        Assert.Equal("rk4", ((CurrentIafModel)copy.Model).IntegratorName);
        Assert.Equal(9, ((CurrentIafModel)copy.Model).RefractorySteps);
    }

    /// <summary>Per-neuron time constants and potentials (the Brian2 oracle is in python/tests/test_ffiaf.py): each
    /// neuron fires as a population of that neuron alone with scalar constants, and a saved file keeps them.</summary>
    [Fact]
    public void PerNeuronConstantsActPerNeuronAndSurviveSaveAndLoad()
    {
        const int steps = 2000;
        double[] tau = [0.01, 0.02, 0.04], thresh = [-0.055, -0.05, -0.058], reset = [-0.065, -0.07, -0.06], rest = [-0.065, -0.06, -0.07];
        var w = new float[,] { { 4e-3f, 3e-3f, 5e-3f } };
        float[] bias = [8e-3f, 9e-3f, 1e-2f];
        var x = Enumerable.Repeat(3f, steps).ToArray();
        using var layer = new Population(new CurrentIafModel(w, bias, tau, thresh, reset, rest, refractory: 1e-3, integrator: "rk4"));
        Assert.Equal(["bias", "tau_mem", "v_reset", "v_rest", "v_thresh", "weights"], layer.Parameters.Keys.Order());
        var (spikes, v) = Run(layer, x, steps, 1);
        for (var n = 0; n < 3; n++)
        {
            using var one = new Population(new CurrentIafModel(new float[,] { { w[0, n] } }, [bias[n]], tauMem: tau[n], vThresh: thresh[n],
                vReset: reset[n], vRest: rest[n], refractory: 1e-3, integrator: "rk4"));
            var (s1, v1) = Run(one, x, steps, 1);
            Assert.True(s1.Sum() > 5);
            Assert.Equal(s1, Enumerable.Range(0, steps).Select(t => spikes[t * 3 + n]));
            Assert.Equal(v1, Enumerable.Range(0, steps).Select(t => v[t * 3 + n]));
        }
        var path = Path.Combine(Path.GetTempPath(), $"snn-iaf-{Guid.NewGuid():N}.snn");
        try
        {
            layer.ResetState();
            layer.Save(path);
            using var loaded = (Population)Layer.Load(path);
            Assert.Equal(tau, (double[])loaded.Parameters["tau_mem"].ToArray());
            var (s2, v2) = Run(loaded, x, steps, 1);
            Assert.Equal(spikes, s2);
            Assert.Equal(v, v2);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static TheoryData<Func<Population>, string> BadArguments() => new()
    {
        { () => new Population(new CurrentIafModel(new float[2, 3], dt: 0)), "dt must be finite and > 0" },
        { () => new Population(new CurrentIafModel(new float[2, 3], tauMem: -1)), "tau_mem must be finite and > 0" },
        { () => new Population(new CurrentIafModel(new float[2, 3], tauMem: double.NaN)), "tau_mem must be finite and > 0" },
        { () => new Population(new CurrentIafModel(new float[2, 3], vThresh: -0.07)), "v_thresh (-0.07 V) must be > v_reset (-0.065 V)" },
        { () => new Population(new CurrentIafModel(new float[2, 3], vReset: double.NaN)), "v_reset must be a finite voltage" },
        { () => new Population(new CurrentIafModel(new float[2, 3], refractory: -1e-3)), "refractory must be finite and >= 0" },
        { () => new Population(new CurrentIafModel(new float[2, 3], noiseStd: double.PositiveInfinity)), "noise_std must be finite and >= 0" },
        { () => new Population(new CurrentIafModel(new float[2, 3], integrator: "euler")), "integrator \"euler\" is unknown" },
        { () => new Population(new CurrentIafModel(new float[2, 3], [1f, 2f])), "bias has 2 values but the weights [2, 3] make 3 neurons" },
        { () => new Population(new CurrentIafModel(new float[0, 3])), "weights [0, 3] must be [N_in, N]" },
        { () => new Population(new CurrentIafModel(new float[2, 3], refractory: 1e6)), "is more than 2147483647 steps" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void BadArgumentsThrowTypedErrors(Func<Population> create, string fragment)
    {
        var e = Assert.ThrowsAny<SnnArgumentException>(() => create().Dispose());
        Assert.Equal(ErrorCode.InvalidArgument, e.Code);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void BadInputAndStateThrowTypedErrors()
    {
        using var layer = new Population(new CurrentIafModel(new float[2, 3]));
        using var wrong = Tensor.Zeros([5, 1, 3]);
        Assert.Contains("takes float32 [time, batch, 2]", Assert.Throws<SnnArgumentException>(() => layer.Forward(wrong)).Message);
        using var state = Tensor.Zeros([1, 4]);
        Assert.Contains("must be float32 [batch, 3]", Assert.Throws<SnnArgumentException>(() => layer.SetState("v", state)).Message);
        Assert.Contains("has no state variable \"u\"", Assert.Throws<SnnArgumentException>(() => layer.SetState("u", state)).Message);
    }

    public static TheoryData<string> ParityCases() => ["rk4_noise", "exact"];

    [Theory]
    [MemberData(nameof(ParityCases))]
    public void FfiafParity(string name)
    {
        var seed = name == "rk4_noise" ? 21UL : 22UL;
        using var uw = Tensor.Zeros([6 * 9]);
        Philox.Uniform(uw, seed, offset: 1);
        var wFlat = Flat(uw).Select(u => 0.05f * u).ToArray();
        var w = new float[6, 9];
        Buffer.BlockCopy(wFlat, 0, w, 0, wFlat.Length * sizeof(float));
        using var ux = Tensor.Zeros([40, 2, 6]);
        Philox.Uniform(ux, seed, offset: 2);
        var x = Flat(ux);
        using var layer = name == "rk4_noise"
            ? new Population(new CurrentIafModel(w, 0.012, noiseStd: 2e-3, refractory: 5e-4, seed: 5, integrator: "rk4"))
            : new Population(new CurrentIafModel(w, 0.012, refractory: 0, integrator: "exact"));
        var arrays = new List<(string, float[])> { ("x", x), ("w", wFlat) };
        var half = 20 * 2 * 6;
        var (s1, v1) = Run(layer, x[..half], 20, 2);
        var (s2, v2) = Run(layer, x[half..], 20, 2);
        arrays.AddRange([("out1", s1), ("v1", v1), ("out2", s2), ("v2", v2),
            ("state_v", Flat(layer.State["v"])), ("state_refractory", Flat(layer.State["refractory"]))]);
        Assert.True(s1.Sum() + s2.Sum() > 0);

        Repo.WriteCase(Path.Combine("ffiaf", name), arrays);
    }
}
