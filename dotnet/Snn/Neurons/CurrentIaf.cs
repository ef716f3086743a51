using System.Globalization;
using Snn.Interop;
using Snn.Native;
using Snn.Networks;

namespace Snn.Neurons;

/// <summary>
/// A feed-forward layer of current-driven integrate-and-fire neurons (what Rockpool's <c>FFIAFBrian</c> computes, see
/// <see cref="Rockpool.FFIAF"/>): it takes input currents and emits spikes, in SI units (seconds, volts, amperes,
/// R = 1 ohm), computed natively.
/// Per step of length <see cref="Dt"/>, with I = input[t] @ weights + bias (+ noise), held constant over the step:
/// tau_mem dv/dt = v_rest - v + R I, integrated exactly (or by one RK4 step); a spike when v &gt; v_thresh, then
/// v = v_reset and the neuron is held there for <see cref="RefractorySteps"/> steps. Input [T, B, N_in] currents,
/// output [T, B, N] spikes (0/1). Equations, rounding and the differences from Rockpool: docs/ffiaf.md.
/// </summary>
[LayerType("CurrentIaf", "FFIAF")]
public sealed unsafe class CurrentIaf : Layer
{
    private readonly Tensor _weights, _bias;
    private Tensor? _v, _refractory;
    private ulong _step;

    /// <summary>
    /// Creates the layer from <paramref name="weights"/> [N_in, N] (amperes per unit of input) and one
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
    /// <param name="name">The layer's name (the type name when null).</param>
    /// <param name="integrator">"exact" (no integration error for a step-constant current) or "rk4" (Brian2's, Rockpool's default).</param>
    /// <param name="seed">Seed of the noise stream.</param>
    /// <param name="device">Where parameters and state live (the default device when null).</param>
    public CurrentIaf(float[,] weights, double bias = 0.015, double dt = 1e-4, double noiseStd = 0, double tauMem = 0.02,
        double vThresh = -0.055, double vReset = -0.065, double vRest = -0.065, double refractory = 0,
        string? name = null, string integrator = "exact", ulong seed = 0, Device? device = null)
        : this(weights, Broadcast(bias, weights), dt, noiseStd, tauMem, vThresh, vReset, vRest, refractory, name,
            integrator, seed, device)
    {
    }

    /// <summary>
    /// Creates the layer from <paramref name="weights"/> [N_in, N] and a per-neuron <paramref name="bias"/> [N]
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
    /// <param name="name">The layer's name (the type name when null).</param>
    /// <param name="integrator">"exact" or "rk4".</param>
    /// <param name="seed">Seed of the noise stream.</param>
    /// <param name="device">Where parameters and state live (the default device when null).</param>
    public CurrentIaf(float[,] weights, float[] bias, double dt = 1e-4, double noiseStd = 0, double tauMem = 0.02,
        double vThresh = -0.055, double vReset = -0.065, double vRest = -0.065, double refractory = 0,
        string? name = null, string integrator = "exact", ulong seed = 0, Device? device = null)
        : base([CheckWeights(weights).GetLength(0)], [weights.GetLength(1)], device, name)
    {
        ArgumentNullException.ThrowIfNull(bias);
        var n = weights.GetLength(1);
        if (bias.Length != n)
            throw Invalid($"bias has {bias.Length} values but the weights [{weights.GetLength(0)}, {n}] make {n} neurons; pass one bias current per neuron, or a single number");
        foreach (var b in bias)
            if (!float.IsFinite(b)) throw Invalid($"every bias current must be finite, got {b}");
        foreach (var w in weights)
            if (!float.IsFinite(w)) throw Invalid($"every weight must be finite, got {w}");
        Require(double.IsFinite(dt) && dt > 0, $"dt must be finite and > 0 seconds, got {F(dt)}; Rockpool's default is 1e-4 (0.1 ms)");
        Require(double.IsFinite(tauMem) && tauMem > 0, $"tau_mem must be finite and > 0 seconds, got {F(tauMem)}; Rockpool's default is 0.02 (20 ms)");
        Require(double.IsFinite(vThresh), $"v_thresh must be a finite voltage, got {F(vThresh)}");
        Require(double.IsFinite(vReset), $"v_reset must be a finite voltage, got {F(vReset)}");
        Require(double.IsFinite(vRest), $"v_rest must be a finite voltage, got {F(vRest)}");
        Require(vThresh > vReset, $"v_thresh ({F(vThresh)} V) must be > v_reset ({F(vReset)} V), otherwise a neuron fires again right after its reset");
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
        Dt = dt;
        NoiseStd = noiseStd;
        TauMem = tauMem;
        VThresh = vThresh;
        VReset = vReset;
        VRest = vRest;
        Refractory = refractory;
        Seed = seed;
        _weights = Tensor.FromArray(weights, Device);
        try
        {
            _bias = Tensor.FromArray(bias, Device);
        }
        catch
        {
            _weights.Dispose();
            throw;
        }
    }

    /// <summary>Number of inputs N_in.</summary>
    public long SizeIn => InputShape[0];

    /// <summary>Number of neurons N.</summary>
    public long Size => OutputShape[0];

    /// <summary>Time step in seconds.</summary>
    public double Dt { get; }

    /// <summary>Std of the free membrane's fluctuation in volts: every step adds the current
    /// noise_std sqrt(2 tau_mem / dt) / R z, z standard normal from the Philox stream of <see cref="Seed"/>.</summary>
    public double NoiseStd { get; }

    /// <summary>Membrane time constant in seconds.</summary>
    public double TauMem { get; }

    /// <summary>Firing threshold in volts (a spike when v &gt; v_thresh).</summary>
    [PythonName("v_thresh")]
    public double VThresh { get; }

    /// <summary>Potential after a spike in volts.</summary>
    [PythonName("v_reset")]
    public double VReset { get; }

    /// <summary>Resting potential in volts; the membrane starts here.</summary>
    [PythonName("v_rest")]
    public double VRest { get; }

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

    /// <summary>Steps run since the last <see cref="ResetState"/> (the noise of step k is drawn from stream offset k).</summary>
    public ulong StepCount => _step;

    private snn_iaf_integrator Integrator { get; }

    /// <summary>Weights [N_in, N] (the layer's own tensor).</summary>
    public Tensor Weights => _weights;

    /// <summary>Bias currents [N] in amperes (the layer's own tensor).</summary>
    public Tensor Bias => _bias;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Parameters =>
        new Dictionary<string, Tensor> { ["weights"] = _weights, ["bias"] = _bias };

    /// <summary>"v" (volts) and "refractory" (steps still held), each [B, N]; empty at rest.</summary>
    public override IReadOnlyDictionary<string, Tensor> State =>
        _v is null || _refractory is null
            ? new Dictionary<string, Tensor>()
            : new Dictionary<string, Tensor> { ["v"] = _v, ["refractory"] = _refractory };

    /// <summary>"spikes" and "v" (the membrane after each step and its reset, Brian2's v one step later), each [T, B, N].</summary>
    public override IReadOnlyList<string> Recordable => ["spikes", "v"];

    /// <inheritdoc/>
    public override bool SpikingOutput => true;

    /// <inheritdoc/>
    public override LayerConfig Config => new LayerConfig(TypeName)
        .Set("size_in", SizeIn)
        .Set("size", Size)
        .Set("dt", Dt)
        .Set("noise_std", NoiseStd)
        .Set("tau_mem", TauMem)
        .Set("v_thresh", VThresh)
        .Set("v_reset", VReset)
        .Set("v_rest", VRest)
        .Set("refractory", Refractory)
        .Set("name", Name)
        .Set("integrator", IntegratorName)
        .Set("seed", (long)Seed);

    /// <summary>Rebuilds a layer from <paramref name="config"/> with zero weights and bias (the loader restores them).</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        var sizeIn = checked((int)config.GetInt("size_in"));
        var size = checked((int)config.GetInt("size"));
        if (sizeIn <= 0 || size <= 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"CurrentIaf configuration has size_in {sizeIn} and size {size}; both must be >= 1.");
        return new CurrentIaf(new float[sizeIn, size], new float[size], config.GetDouble("dt"), config.GetDouble("noise_std"),
            config.GetDouble("tau_mem"), config.GetDouble("v_thresh"), config.GetDouble("v_reset"), config.GetDouble("v_rest"),
            config.GetDouble("refractory"), config.GetString("name"), config.GetString("integrator") ?? "exact",
            unchecked((ulong)config.GetInt("seed")), device);
    }

    /// <summary>Back to rest: v = v_rest, no refractory neuron, the noise stream from its start.</summary>
    public override void ResetState()
    {
        _v?.Dispose();
        _refractory?.Dispose();
        _v = _refractory = null;
        _step = 0;
    }

    /// <summary>"v" [B, N] volts or "refractory" [B, N] steps; the other one is set to rest (v_rest, 0) if there is no
    /// state yet or its batch size differs.</summary>
    protected override void SetStateCore(string name, Tensor value)
    {
        if (name != "v" && name != "refractory")
            throw Invalid($"has no state variable \"{name}\"; its state is \"v\" and \"refractory\"");
        var shape = value.Shape;
        if (value.DType != DType.Float32 || shape.Length != 2 || shape[1] != Size || shape[0] < 1)
            throw Invalid($"state \"{name}\" must be float32 [batch, {Size}], got {value.DType.ToString().ToLowerInvariant()} [{string.Join(", ", shape)}]");
        EnsureState(shape[0]);
        (name == "v" ? _v! : _refractory!).CopyFrom(value);
    }

    /// <inheritdoc/>
    protected override Signal ForwardCore(Signal input)
    {
        var x = input.Values;
        var shape = x.Shape;
        long steps = shape[0], batch = shape[1];
        if (steps < 1)
            throw Invalid($"needs at least one time step, got input [{string.Join(", ", shape)}]");
        EnsureState(batch);
        long[] outShape = [steps, batch, Size];
        var spikes = Tensor.Empty(outShape, DType.Float32, x.Device); // the kernel writes every element
        Tensor? membrane = null;
        try
        {
            membrane = IsRecording("v") ? Tensor.Empty(outShape, DType.Float32, x.Device) : null;
            var p = new snn_iaf_params
            {
                integrator = (int)Integrator,
                refractory_steps = RefractorySteps,
                seed = Seed,
                step = _step,
                dt = Dt,
                tau_mem = TauMem,
                v_thresh = VThresh,
                v_reset = VReset,
                v_rest = VRest,
                resistance = Resistance,
                noise_std = NoiseStd,
                weight_layout = (int)snn_weight_layout.SNN_WEIGHT_INPUT_MAJOR, // Rockpool's [N_in, N], read in place
            };
            var st = new snn_iaf_state { membrane = _v!.Pointer, refractory = _refractory!.Pointer };
            NativeCall.Check(Methods.snn_iaf_forward(x.Pointer, _weights.Pointer, _bias.Pointer, &p, &st, spikes.Pointer,
                membrane is null ? null : membrane.Pointer));
            GC.KeepAlive(x);
            GC.KeepAlive(spikes);
            GC.KeepAlive(membrane);
            GC.KeepAlive(this);
            _step += (ulong)steps;
            if (membrane is not null) SetRecorded("v", membrane);
            membrane = null;
            if (IsRecording("spikes")) SetRecorded("spikes", spikes.Clone());
            return new Signal(spikes);
        }
        catch
        {
            spikes.Dispose();
            membrane?.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    protected override void DisposeCore()
    {
        _weights.Dispose();
        _bias.Dispose();
        ResetState();
    }

    private void EnsureState(long batch)
    {
        if (_v is not null && _v.Shape[0] == batch) return;
        ResetState();
        _v = Tensor.Full([batch, Size], VRest, DType.Float32, Device);
        _refractory = Tensor.Zeros([batch, Size], DType.Float32, Device);
    }

    private static float[,] CheckWeights(float[,] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.GetLength(0) < 1 || weights.GetLength(1) < 1)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"CurrentIaf: weights [{weights.GetLength(0)}, {weights.GetLength(1)}] must be [N_in, N] with N_in >= 1 and N >= 1.");
        return weights;
    }

    private static float[] Broadcast(double bias, float[,] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (!double.IsFinite(bias))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"CurrentIaf: bias must be a finite current in amperes, got {F(bias)}.");
        var values = new float[weights.GetLength(1)];
        Array.Fill(values, (float)bias);
        return values;
    }

    private SnnArgumentException Invalid(string rule) => new(ErrorCode.InvalidArgument, $"{Name} ({TypeName}): {rule}.");

    private void Require(bool ok, string rule)
    {
        if (!ok) throw Invalid(rule);
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
