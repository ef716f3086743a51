using System.Globalization;
using Snn.Interop;
using Snn.Native;
using Snn.Networks;

namespace Snn.Neurons;

/// <summary>
/// Current-driven integrate-and-fire neurons with their input weights (what Rockpool's <c>FFIAFBrian</c> computes, see
/// <see cref="Rockpool.FFIAF"/>), in SI units (seconds, volts, amperes, R = 1 ohm). A <see cref="Population"/> of this
/// model takes [T, B, N_in] input currents and emits [T, B, N] spikes (0/1), computed natively. Per step of length
/// <see cref="Dt"/>, with I = input[t] @ weights + bias (+ noise), held constant over the step:
/// tau_mem dv/dt = v_rest - v + R I, integrated exactly (or by one RK4 step); a spike when v &gt; v_thresh, then
/// v = v_reset and the neuron is held there for <see cref="RefractorySteps"/> steps. The time constant and the
/// potentials are one value for all neurons or one per neuron. Parameters "weights" [N_in, N], "bias" [N], and per
/// neuron "tau_mem", "v_thresh", "v_reset", "v_rest" (float64 [N]); state "v" (volts) and "refractory" (steps still held), each [B, N]; records "spikes" and "v".
/// Equations, rounding and the differences from Rockpool: docs/ffiaf.md.
/// </summary>
public sealed class CurrentIafModel : PopulationModel
{
    private Tensor? _weights, _bias, _tauMem, _vThresh, _vReset, _vRest;

    /// <summary>
    /// Creates the model from <paramref name="weights"/> [N_in, N] (amperes per unit of input) and one
    /// <paramref name="bias"/> current for every neuron (amperes, Rockpool's default 15 mA).
    /// </summary>
    /// <param name="weights">Weight matrix [N_in, N]; copied.</param>
    /// <param name="bias">Bias current of every neuron in amperes.</param>
    /// <param name="dt">Time step in seconds, &gt; 0.</param>
    /// <param name="noiseStd">Std of the free membrane's fluctuation in volts, &gt;= 0 (0: no noise).</param>
    /// <param name="tauMem">Membrane time constant in seconds, &gt; 0.</param>
    /// <param name="vThresh">Firing threshold in volts, &gt; <paramref name="vReset"/>.</param>
    /// <param name="vReset">Potential after a spike in volts.</param>
    /// <param name="vRest">Resting potential in volts (where the membrane starts).</param>
    /// <param name="refractory">Refractory period after each spike in seconds, &gt;= 0 (see <see cref="RefractorySteps"/>).</param>
    /// <param name="integrator">"exact" (no integration error for a step-constant current) or "rk4" (Brian2's, Rockpool's default).</param>
    /// <param name="seed">Seed of the noise stream.</param>
    /// <param name="device">Where parameters and state live (the default device when null).</param>
    public CurrentIafModel(float[,] weights, double bias = 0.015, double dt = 1e-4, double noiseStd = 0, double tauMem = 0.02,
        double vThresh = -0.055, double vReset = -0.065, double vRest = -0.065, double refractory = 0,
        string integrator = "exact", ulong seed = 0, Device? device = null)
        : this(weights, Broadcast(bias, weights), dt, noiseStd, tauMem, vThresh, vReset, vRest, refractory, integrator, seed, device)
    {
    }

    /// <summary>
    /// Creates the model from <paramref name="weights"/> [N_in, N] and a per-neuron <paramref name="bias"/> [N]
    /// (amperes); the other arguments are those of the scalar-bias constructor.
    /// </summary>
    /// <param name="weights">Weight matrix [N_in, N]; copied.</param>
    /// <param name="bias">Bias current per neuron [N] in amperes; copied.</param>
    /// <param name="dt">Time step in seconds, &gt; 0.</param>
    /// <param name="noiseStd">Std of the free membrane's fluctuation in volts, &gt;= 0 (0: no noise).</param>
    /// <param name="tauMem">Membrane time constant in seconds, &gt; 0.</param>
    /// <param name="vThresh">Firing threshold in volts, &gt; <paramref name="vReset"/>.</param>
    /// <param name="vReset">Potential after a spike in volts.</param>
    /// <param name="vRest">Resting potential in volts (where the membrane starts).</param>
    /// <param name="refractory">Refractory period after each spike in seconds, &gt;= 0.</param>
    /// <param name="integrator">"exact" or "rk4".</param>
    /// <param name="seed">Seed of the noise stream.</param>
    /// <param name="device">Where parameters and state live (the default device when null).</param>
    public CurrentIafModel(float[,] weights, float[] bias, double dt = 1e-4, double noiseStd = 0, double tauMem = 0.02,
        double vThresh = -0.055, double vReset = -0.065, double vRest = -0.065, double refractory = 0,
        string integrator = "exact", ulong seed = 0, Device? device = null)
        : this(weights, bias, dt, noiseStd, [tauMem], [vThresh], [vReset], [vRest], refractory, integrator, seed, device, perNeuron: false)
    {
    }

    /// <summary>
    /// Creates the model with one membrane time constant and one set of potentials per neuron (Rockpool's vectors for
    /// <c>tau_mem</c>, <c>v_thresh</c>, <c>v_reset</c>, <c>v_rest</c>), each [N]; the rules of the scalars hold for
    /// every neuron. They become the parameters "tau_mem", "v_thresh", "v_reset" and "v_rest" (float64 [N]).
    /// </summary>
    /// <param name="weights">Weight matrix [N_in, N]; copied.</param>
    /// <param name="bias">Bias current per neuron [N] in amperes; copied.</param>
    /// <param name="tauMem">Membrane time constant of each neuron [N] in seconds, &gt; 0.</param>
    /// <param name="vThresh">Firing threshold of each neuron [N] in volts, &gt; its <paramref name="vReset"/>.</param>
    /// <param name="vReset">Potential after a spike of each neuron [N] in volts.</param>
    /// <param name="vRest">Resting potential of each neuron [N] in volts (where its membrane starts).</param>
    /// <param name="dt">Time step in seconds, &gt; 0.</param>
    /// <param name="noiseStd">Std of the free membrane's fluctuation in volts, &gt;= 0 (0: no noise).</param>
    /// <param name="refractory">Refractory period after each spike in seconds, &gt;= 0.</param>
    /// <param name="integrator">"exact" or "rk4".</param>
    /// <param name="seed">Seed of the noise stream.</param>
    /// <param name="device">Where parameters and state live (the default device when null).</param>
    public CurrentIafModel(float[,] weights, float[] bias, double[] tauMem, double[] vThresh, double[] vReset, double[] vRest,
        double dt = 1e-4, double noiseStd = 0, double refractory = 0, string integrator = "exact", ulong seed = 0, Device? device = null)
        : this(weights, bias, dt, noiseStd, tauMem, vThresh, vReset, vRest, refractory, integrator, seed, device, perNeuron: true)
    {
    }

    private CurrentIafModel(float[,] weights, float[] bias, double dt, double noiseStd, double[] tauMem, double[] vThresh,
        double[] vReset, double[] vRest, double refractory, string integrator, ulong seed, Device? device, bool perNeuron)
        : base(device)
    {
        CheckWeights(weights);
        ArgumentNullException.ThrowIfNull(bias);
        var n = weights.GetLength(1);
        if (bias.Length != n)
            throw Invalid($"bias has {bias.Length} values but the weights [{weights.GetLength(0)}, {n}] make {n} neurons; pass one bias current per neuron, or a single number");
        foreach (var b in bias)
            if (!float.IsFinite(b)) throw Invalid($"every bias current must be finite, got {b}");
        foreach (var w in weights)
            if (!float.IsFinite(w)) throw Invalid($"every weight must be finite, got {w}");
        Require(double.IsFinite(dt) && dt > 0, $"dt must be finite and > 0 seconds, got {F(dt)}; Rockpool's default is 1e-4 (0.1 ms)");
        foreach (var (values, what) in new[] { (tauMem, "tau_mem"), (vThresh, "v_thresh"), (vReset, "v_reset"), (vRest, "v_rest") })
        {
            ArgumentNullException.ThrowIfNull(values, what);
            if (values.Length != (perNeuron ? n : 1))
                throw Invalid($"{what} has {values.Length} values for {n} neurons; pass one value per neuron");
        }
        for (var k = 0; k < tauMem.Length; k++)
        {
            string At(string what) => perNeuron ? $"{what}[{k}]" : what;
            Require(double.IsFinite(tauMem[k]) && tauMem[k] > 0, $"{At("tau_mem")} must be finite and > 0 seconds, got {F(tauMem[k])}; Rockpool's default is 0.02 (20 ms)");
            Require(double.IsFinite(vThresh[k]), $"{At("v_thresh")} must be a finite voltage, got {F(vThresh[k])}");
            Require(double.IsFinite(vReset[k]), $"{At("v_reset")} must be a finite voltage, got {F(vReset[k])}");
            Require(double.IsFinite(vRest[k]), $"{At("v_rest")} must be a finite voltage, got {F(vRest[k])}");
            Require(vThresh[k] > vReset[k], $"{At("v_thresh")} ({F(vThresh[k])} V) must be > {At("v_reset")} ({F(vReset[k])} V), otherwise a neuron fires again right after its reset");
        }
        Require(double.IsFinite(refractory) && refractory >= 0, $"refractory must be finite and >= 0 seconds, got {F(refractory)}; pass 0 for none");
        Require(double.IsFinite(noiseStd) && noiseStd >= 0, $"noise_std must be finite and >= 0 volts, got {F(noiseStd)}; pass 0 for no noise");
        ArgumentNullException.ThrowIfNull(integrator);
        Integrator = integrator.ToLowerInvariant() switch
        {
            "exact" => snn_iaf_integrator.SNN_IAF_EXACT,
            "rk4" => snn_iaf_integrator.SNN_IAF_RK4,
            _ => throw Invalid($"integrator \"{integrator}\" is unknown; pass \"exact\" or \"rk4\""),
        };
        var steps = Math.Floor(refractory / dt + 1e-3);
        Require(steps - 1 <= int.MaxValue, $"refractory ({F(refractory)} s) is more than {int.MaxValue} steps of dt = {F(dt)} s; pass a shorter period");
        RefractorySteps = (int)Math.Max(steps - 1, 0);
        SizeIn = weights.GetLength(0);
        Size = n;
        Dt = dt;
        NoiseStd = noiseStd;
        // With per-neuron values the scalars are neuron 0's: the C ABI checks them like any scalar.
        TauMem = tauMem[0];
        VThresh = vThresh[0];
        VReset = vReset[0];
        VRest = vRest[0];
        Refractory = refractory;
        Seed = seed;
        try
        {
            _weights = Tensor.FromArray(weights, Device);
            _bias = Tensor.FromArray(bias, Device);
            if (perNeuron)
            {
                _tauMem = Tensor.FromArray(tauMem, Device);
                _vThresh = Tensor.FromArray(vThresh, Device);
                _vReset = Tensor.FromArray(vReset, Device);
                _vRest = Tensor.FromArray(vRest, Device);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Number of inputs N_in.</summary>
    public long SizeIn { get; }

    /// <summary>Number of neurons N.</summary>
    public long Size { get; }

    /// <summary>Time step in seconds.</summary>
    public double Dt { get; }

    /// <summary>Std of the free membrane's fluctuation in volts: every step adds the current
    /// noise_std sqrt(2 tau_mem / dt) / R z, z standard normal from the Philox stream of <see cref="Seed"/>.</summary>
    public double NoiseStd { get; }

    /// <summary>Membrane time constant in seconds (neuron 0's when per neuron).</summary>
    public double TauMem { get; }

    /// <summary>Firing threshold in volts (a spike when v &gt; v_thresh; neuron 0's when per neuron).</summary>
    [PythonName("v_thresh")]
    public double VThresh { get; }

    /// <summary>Potential after a spike in volts (neuron 0's when per neuron).</summary>
    [PythonName("v_reset")]
    public double VReset { get; }

    /// <summary>Resting potential in volts, where the membrane starts (neuron 0's when per neuron).</summary>
    [PythonName("v_rest")]
    public double VRest { get; }

    /// <summary>Whether the time constant and the potentials are per neuron (the parameters "tau_mem", "v_thresh",
    /// "v_reset" and "v_rest", float64 [N]).</summary>
    public bool PerNeuron => _tauMem is not null;

    /// <summary>Refractory period in seconds, as given.</summary>
    public double Refractory { get; }

    /// <summary>
    /// Steps after a spike's step during which the neuron is held at v_reset, as in Brian2:
    /// max(floor(refractory / dt + 0.001) - 1, 0). Brian2 counts the period from the spike's step, which already
    /// ends at the reset, so refractory = k dt holds the membrane for k - 1 further steps.
    /// </summary>
    public int RefractorySteps { get; }

    /// <summary>Membrane resistance in ohms (1, as in Rockpool).</summary>
    public double Resistance => 1.0;

    /// <summary>"exact" or "rk4".</summary>
    public string IntegratorName => Integrator == snn_iaf_integrator.SNN_IAF_EXACT ? "exact" : "rk4";

    /// <summary>Seed of the noise stream.</summary>
    public ulong Seed { get; }

    /// <summary>Weights [N_in, N] (the model's own tensor).</summary>
    public Tensor Weights => _weights ?? throw new ObjectDisposedException(nameof(CurrentIafModel));

    /// <summary>Bias currents [N] in amperes (the model's own tensor).</summary>
    public Tensor Bias => _bias ?? throw new ObjectDisposedException(nameof(CurrentIafModel));

    private snn_iaf_integrator Integrator { get; }

    /// <summary>The parameters by name: "weights", "bias", and per neuron "tau_mem", "v_thresh", "v_reset", "v_rest".</summary>
    internal IReadOnlyDictionary<string, Tensor> Tensors
    {
        get
        {
            var result = new Dictionary<string, Tensor> { ["weights"] = Weights, ["bias"] = Bias };
            if (_tauMem is null) return result;
            result["tau_mem"] = _tauMem;
            result["v_thresh"] = _vThresh!;
            result["v_reset"] = _vReset!;
            result["v_rest"] = _vRest!;
            return result;
        }
    }

    /// <summary>Releases the weights, the bias and the per-neuron constants.</summary>
    public override void Dispose()
    {
        foreach (var t in new[] { _weights, _bias, _tauMem, _vThresh, _vReset, _vRest }) t?.Dispose();
        _weights = _bias = _tauMem = _vThresh = _vReset = _vRest = null;
    }

    internal override string ConfigName => "current_iaf";

    internal override long[] InputShape => [SizeIn];

    internal override long[] OutputShape => [Size];

    internal override void WriteConfig(LayerConfig config) => config
        .Set("size_in", SizeIn)
        .Set("size", Size)
        .Set("dt", Dt)
        .Set("noise_std", NoiseStd)
        .Set("tau_mem", TauMem)
        .Set("v_thresh", VThresh)
        .Set("v_reset", VReset)
        .Set("v_rest", VRest)
        .Set("refractory", Refractory)
        .Set("integrator", IntegratorName)
        .Set("seed", (long)Seed)
        .Set("per_neuron", PerNeuron);

    internal override PopulationRunner CreateRunner(Population population) => new CurrentIafRunner(population, this);

    /// <summary>Rebuilds a model from what <see cref="WriteConfig"/> wrote (also a file of the former CurrentIaf or
    /// FFIAF layer), with zero weights and bias (the loader restores them).</summary>
    internal static CurrentIafModel FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        var sizeIn = checked((int)config.GetInt("size_in"));
        var size = checked((int)config.GetInt("size"));
        if (sizeIn <= 0 || size <= 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"current IAF configuration has size_in {sizeIn} and size {size}; both must be >= 1.");
        double[] Value(string key) => Enumerable.Repeat(config.GetDouble(key), config.Contains("per_neuron") && config.GetBool("per_neuron") ? size : 1).ToArray();
        // Per-neuron values start as neuron 0's (valid) and the loader fills in the saved ones.
        return new CurrentIafModel(new float[sizeIn, size], new float[size], config.GetDouble("dt"), config.GetDouble("noise_std"),
            Value("tau_mem"), Value("v_thresh"), Value("v_reset"), Value("v_rest"), config.GetDouble("refractory"),
            config.GetString("integrator") ?? "exact", unchecked((ulong)config.GetInt("seed")), device,
            config.Contains("per_neuron") && config.GetBool("per_neuron"));
    }

    /// <summary>The constants as the C ABI takes them, the noise stream starting at <paramref name="step"/>.</summary>
    internal unsafe snn_iaf_params Parameters(ulong step) => new()
    {
        integrator = (int)Integrator,
        refractory_steps = RefractorySteps,
        seed = Seed,
        step = step,
        dt = Dt,
        tau_mem = TauMem,
        v_thresh = VThresh,
        v_reset = VReset,
        v_rest = VRest,
        resistance = Resistance,
        noise_std = NoiseStd,
        weight_layout = (int)snn_weight_layout.SNN_WEIGHT_INPUT_MAJOR, // Rockpool's [N_in, N], read in place
        tau_mem_per_neuron = Pointer(_tauMem),
        v_thresh_per_neuron = Pointer(_vThresh),
        v_reset_per_neuron = Pointer(_vReset),
        v_rest_per_neuron = Pointer(_vRest),
    };

    private static unsafe snn_tensor* Pointer(Tensor? tensor) => tensor is null ? null : tensor.Pointer;

    private static void CheckWeights(float[,] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.GetLength(0) < 1 || weights.GetLength(1) < 1)
            throw Invalid($"weights [{weights.GetLength(0)}, {weights.GetLength(1)}] must be [N_in, N] with N_in >= 1 and N >= 1");
    }

    private static float[] Broadcast(double bias, float[,] weights)
    {
        CheckWeights(weights);
        if (!double.IsFinite(bias)) throw Invalid($"bias must be a finite current in amperes, got {F(bias)}");
        var values = new float[weights.GetLength(1)];
        Array.Fill(values, (float)bias);
        return values;
    }

    private static SnnArgumentException Invalid(string rule) => new(ErrorCode.InvalidArgument, $"current IAF: {rule}.");

    private static void Require(bool ok, string rule)
    {
        if (!ok) throw Invalid(rule);
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
