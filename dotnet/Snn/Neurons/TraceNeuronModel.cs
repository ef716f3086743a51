using System.Globalization;
using Snn.Interop;
using Snn.Native;
using Snn.Networks;

namespace Snn.Neurons;

/// <summary>The neurons with traces; values match the C ABI's trace-neuron models.</summary>
public enum TraceNeuronKind
{
    /// <summary>Input spikes pass through and gain a trace.</summary>
    Input = 0,
    /// <summary>Integrate and fire: v += alpha_v x.</summary>
    If = 1,
    /// <summary>Leaky integrate and fire: a leak towards v_rest, linear or exponential.</summary>
    Lif = 2,
    /// <summary>Leaky integrate and fire whose threshold rises with every spike and decays back.</summary>
    AdaptiveLif = 3,
}

/// <summary>
/// Neurons with traces (the model PySNN's neurons follow): a threshold test <c>v &gt;= thresh</c>, reset to
/// <c>v_rest</c>, a refractory period counted in time units during which the voltage is not updated, and a
/// postsynaptic trace, linear (<c>trace = tau_t trace + alpha_t s</c>) or exponential
/// (<c>trace += dt / tau_t (alpha_t s - trace)</c>). A <see cref="Population"/> of this model maps [T, B, ...cells]
/// input to a <see cref="Signal"/> of spikes and the trace that travels with them, computed natively for all T steps
/// in one call. State ("v", "trace", "refractory", and "threshold" for the adaptive LIF; only "trace" for input
/// neurons) carries over between calls. Equations and differences from PySNN: docs/neurons.md.
/// </summary>
public sealed unsafe class TraceNeuronModel : PopulationModel
{
    /// <summary>Creates the model; arguments a kind does not use are ignored (input neurons use dt, alpha_t, tau_t;
    /// IF adds thresh, v_rest, alpha_v, duration_refrac; LIF adds tau_v; the adaptive LIF adds alpha_thresh and
    /// tau_thresh). <paramref name="updateType"/> is "linear" (tau_* are decay factors per step in [0, 1]) or
    /// "exponential" (tau_* are time constants &gt; 0).</summary>
    public TraceNeuronModel(TraceNeuronKind kind, float dt, float alphaT, float tauT, float thresh = 1f, float vRest = 0f,
        float alphaV = 1f, float durationRefrac = 0f, float tauV = 1f, float alphaThresh = 0f, float tauThresh = 1f,
        string updateType = "linear", Device? device = null)
        : base(device)
    {
        if (!Enum.IsDefined(kind))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"kind {(int)kind} is not a TraceNeuronKind; pass Input, If, Lif or AdaptiveLif.");
        Kind = kind;
        Exponential = ParseUpdateType(updateType);
        var input = kind == TraceNeuronKind.Input;
        var leaky = kind is TraceNeuronKind.Lif or TraceNeuronKind.AdaptiveLif;
        P = new snn_trace_neuron_params
        {
            model = (int)kind,
            update_type = (int)(Exponential ? snn_trace_update.SNN_TRACE_UPDATE_EXPONENTIAL : snn_trace_update.SNN_TRACE_UPDATE_LINEAR),
            thresh = input ? 0 : thresh,
            v_rest = input ? 0 : vRest,
            alpha_v = input ? 0 : alphaV,
            alpha_t = alphaT,
            dt = dt,
            duration_refrac = input ? 0 : durationRefrac,
            tau_v = leaky ? tauV : 0,
            tau_t = tauT,
            alpha_thresh = kind == TraceNeuronKind.AdaptiveLif ? alphaThresh : 0,
            tau_thresh = kind == TraceNeuronKind.AdaptiveLif ? tauThresh : 0,
        };
        Validate();
    }

    /// <summary>Which neurons these are.</summary>
    public TraceNeuronKind Kind { get; }

    /// <summary>"linear" (tau_* are decay factors per step) or "exponential" (tau_* are time constants).</summary>
    public string UpdateType => Exponential ? "exponential" : "linear";

    /// <summary>Duration of one time step (finite, &gt; 0).</summary>
    public float Dt => P.dt;

    /// <summary>Trace increment per spike.</summary>
    public float AlphaT => P.alpha_t;

    /// <summary>Trace decay per step in [0, 1] ("linear") or trace time constant &gt; 0 ("exponential").</summary>
    public float TauT => P.tau_t;

    /// <summary>Firing threshold: a neuron spikes when v &gt;= thresh (the resting threshold of the adaptive LIF).</summary>
    public float Thresh => P.thresh;

    /// <summary>Resting voltage: the initial voltage, where the leak pulls to and where a spike resets to.</summary>
    [PythonName("v_rest")]
    public float VRest => P.v_rest;

    /// <summary>Input scale: the voltage gains alpha_v times the input.</summary>
    public float AlphaV => P.alpha_v;

    /// <summary>Refractory period after a spike in time units (a whole number of <see cref="Dt"/>s).</summary>
    public float DurationRefrac => P.duration_refrac;

    /// <summary>Voltage decay per step in [0, 1] ("linear") or voltage time constant &gt; 0 ("exponential").</summary>
    public float TauV => P.tau_v;

    /// <summary>Threshold increment per spike (adaptive LIF).</summary>
    public float AlphaThresh => P.alpha_thresh;

    /// <summary>Threshold decay per step in [0, 1] ("linear") or threshold time constant &gt; 0 ("exponential").</summary>
    public float TauThresh => P.tau_thresh;

    /// <summary>The constants as the C ABI takes them (fields the kind does not use are 0).</summary>
    internal readonly snn_trace_neuron_params P;

    private bool Exponential { get; }

    /// <summary>The state variables of this kind, in the order of the C ABI's state struct.</summary>
    internal IReadOnlyList<string> StateNames => Kind switch
    {
        TraceNeuronKind.Input => ["trace"],
        TraceNeuronKind.AdaptiveLif => ["v", "trace", "refractory", "threshold"],
        _ => ["v", "trace", "refractory"],
    };

    /// <summary>The value a state variable has at rest.</summary>
    internal float RestValue(string name) => name switch
    {
        "v" => P.v_rest,
        "threshold" => P.thresh,
        _ => 0f,
    };

    internal override string ConfigName => "trace";

    internal override void WriteConfig(LayerConfig config)
    {
        config.Set("kind", Kind.ToString()).Set("dt", Dt).Set("alpha_t", AlphaT).Set("tau_t", TauT);
        if (Kind != TraceNeuronKind.Input)
            config.Set("thresh", Thresh).Set("v_rest", VRest).Set("alpha_v", AlphaV).Set("duration_refrac", DurationRefrac);
        config.Set("update_type", UpdateType);
        if (Kind is TraceNeuronKind.Lif or TraceNeuronKind.AdaptiveLif) config.Set("tau_v", TauV);
        if (Kind == TraceNeuronKind.AdaptiveLif) config.Set("alpha_thresh", AlphaThresh).Set("tau_thresh", TauThresh);
    }

    /// <summary>Rebuilds a model from what <see cref="WriteConfig"/> wrote.</summary>
    internal static TraceNeuronModel FromConfig(LayerConfig config, Device device) => FromConfig(config, Enum.Parse<TraceNeuronKind>(config.GetString("kind")!), device);

    /// <summary>Rebuilds a model of <paramref name="kind"/> from a configuration (also one written before the kind was stored).</summary>
    internal static TraceNeuronModel FromConfig(LayerConfig config, TraceNeuronKind kind, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        float F(string key) => (float)config.GetDouble(key);
        var input = kind == TraceNeuronKind.Input;
        var leaky = kind is TraceNeuronKind.Lif or TraceNeuronKind.AdaptiveLif;
        var adaptive = kind == TraceNeuronKind.AdaptiveLif;
        return new TraceNeuronModel(kind, F("dt"), F("alpha_t"), F("tau_t"), input ? 1f : F("thresh"), input ? 0f : F("v_rest"),
            input ? 1f : F("alpha_v"), input ? 0f : F("duration_refrac"), leaky ? F("tau_v") : 1f, adaptive ? F("alpha_thresh") : 0f,
            adaptive ? F("tau_thresh") : 1f, config.GetString("update_type") ?? "linear", device);
    }

    internal override PopulationRunner CreateRunner(Population population) => new TraceRunner(population, this);

    /// <summary>Nothing to release: the constants live in the model, the state in the population.</summary>
    public override void Dispose() { }

    private static bool ParseUpdateType(string updateType)
    {
        ArgumentNullException.ThrowIfNull(updateType);
        return updateType.ToLowerInvariant() switch
        {
            "linear" => false,
            "exponential" => true,
            _ => throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"update_type \"{updateType}\" is not supported; pass \"linear\" (tau_* are decay factors per step, in [0, 1]) or \"exponential\" (tau_* are time constants > 0)."),
        };
    }

    /// <summary>The rules of snn_trace_neuron_forward, checked when the layer is built so a bad layer never exists.</summary>
    private void Validate()
    {
        var isInput = Kind == TraceNeuronKind.Input;
        var leaky = Kind is TraceNeuronKind.Lif or TraceNeuronKind.AdaptiveLif;
        if (!(float.IsFinite(Dt) && Dt > 0))
            throw Bad($"dt must be finite and > 0, got {Dt.ToString(CultureInfo.InvariantCulture)}; pass the duration of one time step.");
        Finite(AlphaT, "alpha_t", "the trace increment per spike");
        Decay(TauT, "tau_t", "trace");
        if (isInput) return;
        Finite(P.thresh, "thresh", "the firing threshold");
        Finite(P.v_rest, "v_rest", "the resting voltage");
        Finite(P.alpha_v, "alpha_v", "the input scale");
        if (!(float.IsFinite(P.duration_refrac) && P.duration_refrac >= 0))
            throw Bad($"duration_refrac must be finite and >= 0, got {P.duration_refrac.ToString(CultureInfo.InvariantCulture)}; pass 0 for no refractory period.");
        var steps = (double)P.duration_refrac / Dt;
        if (Math.Abs(steps - Math.Round(steps)) > 1e-4 * Math.Max(1.0, steps))
            throw Bad(string.Create(CultureInfo.InvariantCulture,
                $"duration_refrac = {P.duration_refrac} is not an integer multiple of dt = {Dt} ({steps} steps); pass a whole number of time steps, e.g. {Math.Round(steps) * Dt}."));
        if (leaky) Decay(P.tau_v, "tau_v", "voltage");
        if (Kind == TraceNeuronKind.AdaptiveLif)
        {
            Finite(P.alpha_thresh, "alpha_thresh", "the threshold increment per spike");
            Decay(P.tau_thresh, "tau_thresh", "threshold");
        }
    }

    private void Finite(float value, string name, string meaning)
    {
        if (!float.IsFinite(value))
            throw Bad($"{name} must be finite, got {value.ToString(CultureInfo.InvariantCulture)}; pass {meaning}.");
    }

    private void Decay(float tau, string name, string what)
    {
        var text = tau.ToString(CultureInfo.InvariantCulture);
        if (Exponential && !(float.IsFinite(tau) && tau > 0))
            throw Bad($"{name} must be a finite time constant > 0 with update_type \"exponential\", got {text}; pass the {what} time constant in the units of dt.");
        if (!Exponential && !(tau >= 0 && tau <= 1))
            throw Bad($"{name} must be a decay factor in [0, 1] with update_type \"linear\", got {text}; pass the {what} decay per step (e.g. exp(-dt / tau)), or use update_type \"exponential\" for a time constant.");
    }

    private SnnArgumentException Bad(string message) => new(ErrorCode.InvalidArgument, $"{Facade(Kind)}: {message}");

    /// <summary>The name users of the trace neurons know each kind by, for messages.</summary>
    private static string Facade(TraceNeuronKind kind) => kind switch
    {
        TraceNeuronKind.Input => "InputNeuron",
        TraceNeuronKind.If => "IFNeuron",
        TraceNeuronKind.Lif => "LIFNeuron",
        _ => "AdaptiveLIFNeuron",
    };
}

/// <summary>Runs a <see cref="TraceNeuronModel"/> population through the native trace-neuron kernel.</summary>
internal sealed unsafe class TraceRunner(Population population, TraceNeuronModel model) : PopulationRunner(population)
{
    private readonly Dictionary<string, Tensor> _state = [];

    public override IReadOnlyDictionary<string, Tensor> Parameters { get; } = new Dictionary<string, Tensor>();

    public override IReadOnlyDictionary<string, Tensor> State => _state;

    public override bool SpikingInput => model.Kind == TraceNeuronKind.Input; // the others integrate currents

    public override bool SpikingOutput => true;

    public override IReadOnlyList<string> Recordable => model.Kind == TraceNeuronKind.Input ? ["spikes", "trace"] : ["spikes", "v", "trace"];

    protected override void ResetCore()
    {
        foreach (var t in _state.Values) t.Dispose();
        _state.Clear();
    }

    public override void SetState(string name, Tensor value)
    {
        var who = $"{Population.Name} ({Population.TypeName})";
        var cells = Population.InputShape;
        if (!model.StateNames.Contains(name))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{who} has no state variable \"{name}\"; its state is {string.Join(", ", model.StateNames)}.");
        var shape = value.Shape;
        if (value.DType != DType.Float32 || shape.Length != cells.Length + 1 || !shape.AsSpan(1).SequenceEqual(cells))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{who}: state \"{name}\" must be float32 [batch, {string.Join(", ", cells)}], got {value.DType.ToString().ToLowerInvariant()} [{string.Join(", ", shape)}].");
        foreach (var (other, t) in _state)
        {
            if (other != name && t.Shape[0] != shape[0])
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{who}: state \"{name}\" has batch size {shape[0]} but \"{other}\" has {t.Shape[0]}; call ResetState first to change the batch size.");
        }
        var copy = value.To(Population.Device);
        if (_state.Remove(name, out var old)) old.Dispose();
        _state[name] = copy;
    }

    public override Signal Forward(Signal input)
    {
        var values = input.Values;
        var shape = values.Shape;
        var batch = shape[1];
        if (_state.Values.Any(t => t.Shape[0] != batch)) ResetState();
        long[] stateShape = [batch, .. Population.InputShape];
        foreach (var name in model.StateNames)
        {
            if (!_state.ContainsKey(name)) _state[name] = Tensor.Full(stateShape, model.RestValue(name), DType.Float32, Population.Device);
        }
        Tensor? spikes = null, trace = null, v = null;
        try
        {
            spikes = values.NewLike(shape);
            trace = values.NewLike(shape);
            v = Population.Records("v") ? values.NewLike(shape) : null;
            var p = model.P;
            var st = new snn_trace_neuron_state
            {
                v = Pointer("v"),
                trace = Pointer("trace"),
                refractory = Pointer("refractory"),
                threshold = Pointer("threshold"),
            };
            NativeCall.Check(Methods.snn_trace_neuron_forward(values.Pointer, &p, &st, spikes.Pointer, trace.Pointer,
                v is null ? null : v.Pointer));
            GC.KeepAlive(values);
            GC.KeepAlive(spikes);
            GC.KeepAlive(trace);
            GC.KeepAlive(v);
            GC.KeepAlive(_state);
            if (v is not null) Population.Keep("v", v);
            if (Population.Records("spikes")) Population.Keep("spikes", spikes.Clone());
            if (Population.Records("trace")) Population.Keep("trace", trace.Clone());
            return new Signal(spikes, trace);
        }
        catch
        {
            spikes?.Dispose();
            trace?.Dispose();
            v?.Dispose();
            throw;
        }
    }

    private snn_tensor* Pointer(string name) => _state.TryGetValue(name, out var t) ? t.Pointer : null;
}
