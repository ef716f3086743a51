using Snn.Neurons;
using Snn.Rockpool;
using Snn.Timed;

namespace Snn.Tests.Facades;

/// <summary>
/// A Rockpool user's script written in C# with FFIAFBrian's arguments (per-neuron vectors, integrator_name, record=)
/// and time series, checked against the analytic firing period of the IAF equation, Rockpool's documented defaults
/// and the core population of CurrentIafModel on the same configuration.
/// </summary>
public class RockpoolFacadeTests
{
    private const double Dt = 1e-4, Tau = 0.02, VThresh = -0.055, VReset = -0.065, VRest = -0.065;

    [Fact]
    public void ConstantDriveFiresAtTheAnalyticPeriod()
    {
        var weights = new float[,] { { 1e-3f, 2e-3f, 4e-3f }, { 1e-3f, 1e-3f, 1e-3f } };
        using var lyr = new FFIAFBrian(weights, bias: 0.0, dt: Dt, tauMem: new[] { Tau, Tau, Tau }, vThresh: new[] { VThresh, VThresh, VThresh },
            vReset: new[] { VReset, VReset, VReset }, vRest: new[] { VRest, VRest, VRest }, integratorName: "exact", name: "iaf", record: true);
        const int steps = 2000;
        var samples = new double[steps, 2];
        for (var i = 0; i < steps; i++) samples[i, 0] = samples[i, 1] = 8.0;
        var ts = new TSContinuous(Enumerable.Range(0, steps).Select(i => i * Dt).ToArray(), samples, tStop: steps * Dt);
        var (output, _, record) = lyr.Invoke(ts);
        var events = Assert.IsType<TSEvent>(output);
        Assert.Equal(["spikes", "v"], record.Keys.Order());
        for (var n = 0; n < 3; n++)
        {
            var vInf = VRest + 8.0 * (weights[0, n] + (double)weights[1, n]);
            var period = Tau * Math.Log((vInf - VReset) / (vInf - VThresh));
            var perPeriod = Math.Floor(period / Dt + 1e-9) + 1; // the step whose end first lies above threshold
            Assert.Equal((int)(steps / perPeriod), events.Channels.Count(c => c == n));
        }
    }

    [Fact]
    public void DefaultsAreRockpoolsAndTheModuleIsTheCoreLayer()
    {
        var rng = new Random(21);
        var weights = new float[2, 3];
        for (var i = 0; i < 6; i++) weights[i / 3, i % 3] = (float)(rng.NextDouble() * 3e-3);
        using (var defaults = new FFIAFBrian(weights))
        {
            Assert.Equal(("rk4", 1e-4, "unnamed", false), (defaults.IntegratorName, defaults.Dt, defaults.Name, defaults.Record));
            var bias = new float[3];
            defaults.Model.Bias.CopyTo<float>(bias);
            Assert.All(bias, b => Assert.Equal(0.015f, b)); // Rockpool's 15 mA
            Assert.Equal((0.02, -0.055, -0.065, -0.065), (defaults.Model.TauMem, defaults.Model.VThresh, defaults.Model.VReset, defaults.Model.VRest));
        }
        const int steps = 600;
        var currents = new float[steps * 2];
        var levels = Enumerable.Range(0, 12).Select(_ => (float)(rng.NextDouble() * 2)).ToArray();
        for (var i = 0; i < steps; i++) (currents[2 * i], currents[2 * i + 1]) = (levels[i / 100 * 2], levels[i / 100 * 2 + 1]);
        var samples = new double[steps, 2];
        for (var i = 0; i < steps * 2; i++) samples[i / 2, i % 2] = currents[i];
        var ts = new TSContinuous(Enumerable.Range(0, steps).Select(i => i * Dt).ToArray(), samples, tStop: steps * Dt);
        using var lyr = new FFIAF(weights, bias: 0.012, noiseStd: 1e-3, seed: 4);
        using var core = new Population(new CurrentIafModel(weights, 0.012, noiseStd: 1e-3, integrator: "rk4", seed: 4));
        var output = (TSEvent)lyr.Invoke(ts).Output;
        using var input = Tensor.FromArray(currents, [steps, 1, 2]);
        using var raster = core.Forward(input);
        var spikes = new float[steps * 3];
        raster.Values.CopyTo<float>(spikes);
        var hits = Enumerable.Range(0, spikes.Length).Where(k => spikes[k] > 0).ToArray();
        Assert.True(hits.Length > 5);
        Assert.Equal(hits.Select(k => k % 3), output.Channels);
        Assert.Equal(hits.Select(k => (k / 3 + 0.5) * Dt).ToArray(), output.Times, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void VectorsMustAgreeAndBadNamesAreRefused()
    {
        Assert.Contains("v_thresh has 2 values for 3 neurons", Assert.Throws<SnnArgumentException>(() =>
            new FFIAFBrian(new float[2, 3], vThresh: new[] { -0.055, -0.05 })).Message);
        Assert.Contains("v_thresh[1] (-0.07 V) must be > v_reset[1] (-0.065 V)", Assert.Throws<SnnArgumentException>(() =>
            new FFIAFBrian(new float[2, 3], vThresh: new[] { -0.055, -0.07, -0.055 })).Message);
        Assert.Contains("integrator \"euler\" is unknown", Assert.Throws<SnnArgumentException>(() =>
            new FFIAFBrian(new float[2, 3], integratorName: "euler")).Message);
        var ts = new TSContinuous(new[] { 0.0, 1.0, 2.0 }, new double[,] { { 1, 10 }, { 2, 20 }, { 3, 30 } });
        Assert.Equal(new double[,] { { 2, 20 } }, ts.Invoke(1.5)); // Rockpool's ts(t), "previous" interpolation
    }
}
