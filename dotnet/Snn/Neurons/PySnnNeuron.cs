using System.Globalization;
using Snn.Interop;
using Snn.Native;
using Snn.Networks;

namespace Snn.Neurons;

/// <summary>
/// The common part of PySNN's neurons with traces (<see cref="InputNeuron"/>, <see cref="IFNeuron"/>,
/// <see cref="LIFNeuron"/>, <see cref="AdaptiveLIFNeuron"/>): a <see cref="Layer"/> that maps [T, B, ...cells]
/// input to a <see cref="Signal"/> of spikes [T, B, ...cells] and the postsynaptic trace that travels with them,
/// computed natively for all T steps in one call (<c>snn_trace_neuron_forward</c>). State ("v", "trace",
/// "refractory", and "threshold" for the adaptive LIF) carries over between calls. The equations and what differs
/// from PySNN are in docs/neurons.md ("PySNN neurons").
/// </summary>
public abstract unsafe class PySnnNeuron : Layer
{
    private readonly long[] _cells;
    private readonly Dictionary<string, Tensor> _state = [];

    private protected PySnnNeuron(long[] cellsShape, snn_trace_neuron_model model, float thresh, float vRest, float alphaV,
        float alphaT, float dt, float durationRefrac, float tauV, float tauT, float alphaThresh, float tauThresh,
        string updateType, Device? device, string? name)
        : base(CheckCells(cellsShape), cellsShape, device, name)
    {
        _cells = (long[])cellsShape.Clone();
        Exponential = ParseUpdateType(updateType);
        P = new snn_trace_neuron_params
        {
            model = (int)model,
            update_type = (int)(Exponential ? snn_trace_update.SNN_TRACE_UPDATE_EXPONENTIAL : snn_trace_update.SNN_TRACE_UPDATE_LINEAR),
            thresh = thresh,
            v_rest = vRest,
            alpha_v = alphaV,
            alpha_t = alphaT,
            dt = dt,
            duration_refrac = durationRefrac,
            tau_v = tauV,
            tau_t = tauT,
            alpha_thresh = alphaThresh,
            tau_thresh = tauThresh,
        };
        Validate();
    }

    /// <summary>Shape of the neurons of one sample (PySNN's <c>cells_shape</c> without its batch axis).</summary>
    public long[] CellsShape => (long[])_cells.Clone();

    /// <summary>"linear" (tau_* are decay factors per step) or "exponential" (tau_* are time constants).</summary>
    public string UpdateType => Exponential ? "exponential" : "linear";

    /// <summary>Duration of one time step (finite, &gt; 0).</summary>
    public float Dt => P.dt;

    /// <summary>Trace increment per spike.</summary>
    public float AlphaT => P.alpha_t;

    /// <summary>Trace decay per step in [0, 1] ("linear") or trace time constant &gt; 0 ("exponential").</summary>
    public float TauT => P.tau_t;

    /// <summary>The constants as the C ABI takes them (fields the model does not use are 0).</summary>
    private protected readonly snn_trace_neuron_params P;

    private protected snn_trace_neuron_model Model => (snn_trace_neuron_model)P.model;
    private protected bool Exponential { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> State => _state;

    /// <inheritdoc/>
    public override bool SpikingInput => Model == snn_trace_neuron_model.SNN_TRACE_NEURON_INPUT; // the others integrate currents

    /// <inheritdoc/>
    public override bool SpikingOutput => true;

    /// <inheritdoc/>
    public override IReadOnlyList<string> Recordable => Model == snn_trace_neuron_model.SNN_TRACE_NEURON_INPUT ? ["spikes", "trace"] : ["spikes", "v", "trace"];

    /// <summary>The state variables of this neuron type, in the order of the C ABI's state struct.</summary>
    private protected abstract IReadOnlyList<string> StateNames { get; }

    /// <inheritdoc/>
    public override void ResetState()
    {
        foreach (var t in _state.Values) t.Dispose();
        _state.Clear();
    }

    /// <inheritdoc/>
    protected override void SetStateCore(string name, Tensor value)
    {
        if (!StateNames.Contains(name))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Name} ({TypeName}) has no state variable \"{name}\"; its state is {string.Join(", ", StateNames)}.");
        var shape = value.Shape;
        if (value.DType != DType.Float32 || shape.Length != _cells.Length + 1 || !shape.AsSpan(1).SequenceEqual(_cells))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Name} ({TypeName}): state \"{name}\" must be float32 [batch, {string.Join(", ", _cells)}], got {value.DType.ToString().ToLowerInvariant()} [{string.Join(", ", shape)}].");
        foreach (var (other, t) in _state)
        {
            if (other != name && t.Shape[0] != shape[0])
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{Name} ({TypeName}): state \"{name}\" has batch size {shape[0]} but \"{other}\" has {t.Shape[0]}; call ResetState first to change the batch size.");
        }
        var copy = value.To(Device);
        if (_state.Remove(name, out var old)) old.Dispose();
        _state[name] = copy;
    }

    /// <inheritdoc/>
    protected override Signal ForwardCore(Signal input)
    {
        var values = input.Values;
        var shape = values.Shape;
        var batch = shape[1];
        if (_state.Values.Any(t => t.Shape[0] != batch)) ResetState();
        long[] stateShape = [batch, .. _cells];
        foreach (var name in StateNames)
        {
            if (!_state.ContainsKey(name)) _state[name] = Tensor.Full(stateShape, RestValue(name), DType.Float32, Device);
        }
        Tensor? spikes = null, trace = null, v = null;
        try
        {
            spikes = values.NewLike(shape);
            trace = values.NewLike(shape);
            v = IsRecording("v") ? values.NewLike(shape) : null;
            var p = P;
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
            if (v is not null) SetRecorded("v", v);
            if (IsRecording("spikes")) SetRecorded("spikes", spikes.Clone());
            if (IsRecording("trace")) SetRecorded("trace", trace.Clone());
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

    /// <inheritdoc/>
    protected override void DisposeCore() => ResetState();

    /// <summary>The configuration shared by every PySNN neuron; subclasses add their own arguments.</summary>
    private protected LayerConfig BaseConfig()
    {
        var c = new LayerConfig(TypeName).Set("cells_shape", _cells).Set("dt", Dt).Set("alpha_t", AlphaT).Set("tau_t", TauT);
        if (Model != snn_trace_neuron_model.SNN_TRACE_NEURON_INPUT)
        {
            c.Set("thresh", P.thresh).Set("v_rest", P.v_rest).Set("alpha_v", P.alpha_v).Set("duration_refrac", P.duration_refrac);
        }
        return c.Set("update_type", UpdateType);
    }

    /// <summary>Reads a float argument of a saved configuration.</summary>
    private protected static float F(LayerConfig config, string key) => (float)config.GetDouble(key);

    private float RestValue(string name) => name switch
    {
        "v" => P.v_rest,
        "threshold" => P.thresh,
        _ => 0f,
    };

    private snn_tensor* Pointer(string name) => _state.TryGetValue(name, out var t) ? t.Pointer : null;

    private static long[] CheckCells(long[] cellsShape)
    {
        ArgumentNullException.ThrowIfNull(cellsShape);
        if (cellsShape.Length == 0 || cellsShape.Any(d => d <= 0))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"cellsShape [{string.Join(", ", cellsShape)}] must have at least one dimension and every dimension >= 1; pass the shape of one sample's neurons, e.g. [100] or [channels, height, width] (no batch axis).");
        return cellsShape;
    }

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
        var isInput = Model == snn_trace_neuron_model.SNN_TRACE_NEURON_INPUT;
        var leaky = Model is snn_trace_neuron_model.SNN_TRACE_NEURON_LIF or snn_trace_neuron_model.SNN_TRACE_NEURON_ADAPTIVE_LIF;
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
        if (Model == snn_trace_neuron_model.SNN_TRACE_NEURON_ADAPTIVE_LIF)
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

    private SnnArgumentException Bad(string message) => new(ErrorCode.InvalidArgument, $"{GetType().Name}: {message}");
}
