using Snn.Native;
using Snn.Networks;

namespace Snn.Neurons;

/// <summary>
/// PySNN's <c>Input</c>: input spikes pass through unchanged and gain a trace, linear
/// (<c>trace = tau_t trace + alpha_t s</c>) or exponential (<c>trace += dt / tau_t (alpha_t s - trace)</c>).
/// Forward returns a <see cref="Signal"/> of the spikes and their trace. State: "trace". Records "spikes", "trace".
/// </summary>
[LayerType("InputNeuron")]
public sealed class InputNeuron : PySnnNeuron
{
    /// <summary>Input neurons of shape <paramref name="cellsShape"/> per sample (PySNN's cells_shape without the batch
    /// axis); <paramref name="tauT"/> is a decay factor in [0, 1] for "linear" and a time constant for "exponential".</summary>
    public InputNeuron(long[] cellsShape, float dt, float alphaT, float tauT, string updateType = "linear",
        Device? device = null, string? name = null)
        : base(cellsShape, snn_trace_neuron_model.SNN_TRACE_NEURON_INPUT, 0, 0, 0, alphaT, dt, 0, 0, tauT, 0, 0, updateType, device, name) { }

    /// <summary><see cref="InputNeuron(long[], float, float, float, string, Device?, string?)"/> for a flat population of
    /// <paramref name="cellsShape"/> neurons.</summary>
    public InputNeuron(int cellsShape, float dt, float alphaT, float tauT, string updateType = "linear",
        Device? device = null, string? name = null)
        : this([(long)cellsShape], dt, alphaT, tauT, updateType, device, name) { }

    private protected override IReadOnlyList<string> StateNames => ["trace"];

    /// <inheritdoc/>
    public override LayerConfig Config => BaseConfig();

    /// <summary>Rebuilds an input layer from its <see cref="Config"/>.</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new InputNeuron(config.GetIntArray("cells_shape"), F(config, "dt"), F(config, "alpha_t"), F(config, "tau_t"),
            config.GetString("update_type") ?? "linear", device);
    }
}

/// <summary>
/// PySNN's spiking neurons: resting voltage, a threshold test <c>v &gt;= thresh</c>, reset to <c>v_rest</c>, a
/// refractory period counted down in time units during which the voltage is not updated, and a postsynaptic trace.
/// </summary>
public abstract class PySnnSpikingNeuron : PySnnNeuron
{
    private protected PySnnSpikingNeuron(long[] cellsShape, snn_trace_neuron_model model, float thresh, float vRest, float alphaV,
        float alphaT, float dt, float durationRefrac, float tauV, float tauT, float alphaThresh, float tauThresh,
        string updateType, Device? device, string? name)
        : base(cellsShape, model, thresh, vRest, alphaV, alphaT, dt, durationRefrac, tauV, tauT, alphaThresh, tauThresh,
            updateType, device, name) { }

    /// <summary>Firing threshold: a neuron spikes when v &gt;= thresh (the resting threshold of the adaptive LIF).</summary>
    public float Thresh => P.thresh;

    /// <summary>Resting voltage: the initial voltage, where the leak pulls to and where a spike resets to.</summary>
    [PythonName("v_rest")]
    public float VRest => P.v_rest;

    /// <summary>Input scale: the voltage gains alpha_v times the input.</summary>
    public float AlphaV => P.alpha_v;

    /// <summary>Refractory period after a spike in time units (a whole number of <see cref="PySnnNeuron.Dt"/>s).</summary>
    public float DurationRefrac => P.duration_refrac;

    private protected override IReadOnlyList<string> StateNames => ["v", "trace", "refractory"];
}

/// <summary>
/// PySNN's <c>IFNeuron</c>: <c>v += alpha_v x</c> (no leak) while not refractory, spike when <c>v &gt;= thresh</c>,
/// reset to <c>v_rest</c>. <c>update_type</c> selects the trace's update only.
/// </summary>
[LayerType("IFNeuron")]
public sealed class IFNeuron : PySnnSpikingNeuron
{
    /// <summary>IF neurons with PySNN's arguments; <paramref name="cellsShape"/> is one sample's shape (no batch axis).</summary>
    /// <param name="cellsShape">Shape of the neurons of one sample.</param>
    /// <param name="thresh">Firing threshold.</param>
    /// <param name="vRest">Resting and reset voltage.</param>
    /// <param name="alphaV">Input scale.</param>
    /// <param name="alphaT">Trace increment per spike.</param>
    /// <param name="dt">Time step, &gt; 0.</param>
    /// <param name="durationRefrac">Refractory period in time units, &gt;= 0, a whole number of steps.</param>
    /// <param name="tauT">Trace decay per step in [0, 1] ("linear") or time constant &gt; 0 ("exponential").</param>
    /// <param name="updateType">"linear" (default, as PySNN) or "exponential".</param>
    /// <param name="device">Device of the state; the default device when null.</param>
    /// <param name="name">Layer name; the type name when null.</param>
    public IFNeuron(long[] cellsShape, float thresh, float vRest, float alphaV, float alphaT, float dt, float durationRefrac,
        float tauT, string updateType = "linear", Device? device = null, string? name = null)
        : base(cellsShape, snn_trace_neuron_model.SNN_TRACE_NEURON_IF, thresh, vRest, alphaV, alphaT, dt, durationRefrac, 0, tauT, 0, 0,
            updateType, device, name) { }

    /// <summary>IF neurons for a flat population of <paramref name="cellsShape"/> neurons (other arguments as above).</summary>
    public IFNeuron(int cellsShape, float thresh, float vRest, float alphaV, float alphaT, float dt, float durationRefrac,
        float tauT, string updateType = "linear", Device? device = null, string? name = null)
        : this([(long)cellsShape], thresh, vRest, alphaV, alphaT, dt, durationRefrac, tauT, updateType, device, name) { }

    /// <inheritdoc/>
    public override LayerConfig Config => BaseConfig();

    /// <summary>Rebuilds an IF layer from its <see cref="Config"/>.</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new IFNeuron(config.GetIntArray("cells_shape"), F(config, "thresh"), F(config, "v_rest"), F(config, "alpha_v"),
            F(config, "alpha_t"), F(config, "dt"), F(config, "duration_refrac"), F(config, "tau_t"),
            config.GetString("update_type") ?? "linear", device);
    }
}

/// <summary>
/// PySNN's <c>LIFNeuron</c>: while not refractory the voltage leaks towards <c>v_rest</c>, linearly
/// (<c>v = v_rest + (v - v_rest) tau_v + alpha_v x</c>, <c>tau_v</c> a decay factor) or exponentially
/// (<c>v += dt / tau_v (-(v - v_rest) + alpha_v x)</c>, <c>tau_v</c> a time constant); spike when
/// <c>v &gt;= thresh</c>, reset to <c>v_rest</c>. <c>update_type</c> selects the leak and the trace alike.
/// </summary>
[LayerType("LIFNeuron")]
public sealed class LIFNeuron : PySnnSpikingNeuron
{
    /// <summary>LIF neurons with PySNN's arguments; <paramref name="cellsShape"/> is one sample's shape (no batch axis).</summary>
    /// <param name="cellsShape">Shape of the neurons of one sample.</param>
    /// <param name="thresh">Firing threshold.</param>
    /// <param name="vRest">Resting and reset voltage.</param>
    /// <param name="alphaV">Input scale.</param>
    /// <param name="alphaT">Trace increment per spike.</param>
    /// <param name="dt">Time step, &gt; 0.</param>
    /// <param name="durationRefrac">Refractory period in time units, &gt;= 0, a whole number of steps.</param>
    /// <param name="tauV">Voltage decay per step in [0, 1] ("linear") or time constant &gt; 0 ("exponential").</param>
    /// <param name="tauT">Trace decay per step in [0, 1] ("linear") or time constant &gt; 0 ("exponential").</param>
    /// <param name="updateType">"linear" (default, as PySNN) or "exponential".</param>
    /// <param name="device">Device of the state; the default device when null.</param>
    /// <param name="name">Layer name; the type name when null.</param>
    public LIFNeuron(long[] cellsShape, float thresh, float vRest, float alphaV, float alphaT, float dt, float durationRefrac,
        float tauV, float tauT, string updateType = "linear", Device? device = null, string? name = null)
        : base(cellsShape, snn_trace_neuron_model.SNN_TRACE_NEURON_LIF, thresh, vRest, alphaV, alphaT, dt, durationRefrac, tauV, tauT, 0, 0,
            updateType, device, name) { }

    /// <summary>LIF neurons for a flat population of <paramref name="cellsShape"/> neurons (other arguments as above).</summary>
    public LIFNeuron(int cellsShape, float thresh, float vRest, float alphaV, float alphaT, float dt, float durationRefrac,
        float tauV, float tauT, string updateType = "linear", Device? device = null, string? name = null)
        : this([(long)cellsShape], thresh, vRest, alphaV, alphaT, dt, durationRefrac, tauV, tauT, updateType, device, name) { }

    /// <summary>Voltage decay per step in [0, 1] ("linear") or voltage time constant &gt; 0 ("exponential").</summary>
    public float TauV => P.tau_v;

    /// <inheritdoc/>
    public override LayerConfig Config => BaseConfig().Set("tau_v", TauV);

    /// <summary>Rebuilds a LIF layer from its <see cref="Config"/>.</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new LIFNeuron(config.GetIntArray("cells_shape"), F(config, "thresh"), F(config, "v_rest"), F(config, "alpha_v"),
            F(config, "alpha_t"), F(config, "dt"), F(config, "duration_refrac"), F(config, "tau_v"), F(config, "tau_t"),
            config.GetString("update_type") ?? "linear", device);
    }
}

/// <summary>
/// PySNN's <c>AdaptiveLIFNeuron</c>: a <see cref="LIFNeuron"/> whose threshold (state "threshold", starting at
/// <c>thresh</c>) rises by <c>alpha_thresh</c> per spike and relaxes back to <c>thresh</c>, linearly
/// (<c>th = thresh + (th - thresh) tau_thresh + alpha_thresh s</c>) or exponentially
/// (<c>th += dt / tau_thresh (-(th - thresh) + alpha_thresh s)</c>).
/// </summary>
[LayerType("AdaptiveLIFNeuron")]
public sealed class AdaptiveLIFNeuron : PySnnSpikingNeuron
{
    /// <summary>Adaptive LIF neurons with PySNN's arguments; <paramref name="cellsShape"/> is one sample's shape.</summary>
    /// <param name="cellsShape">Shape of the neurons of one sample.</param>
    /// <param name="thresh">Resting firing threshold.</param>
    /// <param name="vRest">Resting and reset voltage.</param>
    /// <param name="alphaV">Input scale.</param>
    /// <param name="alphaT">Trace increment per spike.</param>
    /// <param name="dt">Time step, &gt; 0.</param>
    /// <param name="durationRefrac">Refractory period in time units, &gt;= 0, a whole number of steps.</param>
    /// <param name="tauV">Voltage decay per step in [0, 1] ("linear") or time constant &gt; 0 ("exponential").</param>
    /// <param name="tauT">Trace decay per step in [0, 1] ("linear") or time constant &gt; 0 ("exponential").</param>
    /// <param name="alphaThresh">Threshold increment per spike.</param>
    /// <param name="tauThresh">Threshold decay per step in [0, 1] ("linear") or time constant &gt; 0 ("exponential").</param>
    /// <param name="updateType">"linear" (default, as PySNN) or "exponential".</param>
    /// <param name="device">Device of the state; the default device when null.</param>
    /// <param name="name">Layer name; the type name when null.</param>
    public AdaptiveLIFNeuron(long[] cellsShape, float thresh, float vRest, float alphaV, float alphaT, float dt,
        float durationRefrac, float tauV, float tauT, float alphaThresh, float tauThresh, string updateType = "linear",
        Device? device = null, string? name = null)
        : base(cellsShape, snn_trace_neuron_model.SNN_TRACE_NEURON_ADAPTIVE_LIF, thresh, vRest, alphaV, alphaT, dt, durationRefrac, tauV,
            tauT, alphaThresh, tauThresh, updateType, device, name) { }

    /// <summary>Adaptive LIF neurons for a flat population of <paramref name="cellsShape"/> neurons (other arguments as above).</summary>
    public AdaptiveLIFNeuron(int cellsShape, float thresh, float vRest, float alphaV, float alphaT, float dt,
        float durationRefrac, float tauV, float tauT, float alphaThresh, float tauThresh, string updateType = "linear",
        Device? device = null, string? name = null)
        : this([(long)cellsShape], thresh, vRest, alphaV, alphaT, dt, durationRefrac, tauV, tauT, alphaThresh, tauThresh,
            updateType, device, name) { }

    /// <summary>Voltage decay per step in [0, 1] ("linear") or voltage time constant &gt; 0 ("exponential").</summary>
    public float TauV => P.tau_v;

    /// <summary>Threshold increment per spike.</summary>
    public float AlphaThresh => P.alpha_thresh;

    /// <summary>Threshold decay per step in [0, 1] ("linear") or threshold time constant &gt; 0 ("exponential").</summary>
    public float TauThresh => P.tau_thresh;

    private protected override IReadOnlyList<string> StateNames => ["v", "trace", "refractory", "threshold"];

    /// <inheritdoc/>
    public override LayerConfig Config =>
        BaseConfig().Set("tau_v", TauV).Set("alpha_thresh", AlphaThresh).Set("tau_thresh", TauThresh);

    /// <summary>Rebuilds an adaptive LIF layer from its <see cref="Config"/>.</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new AdaptiveLIFNeuron(config.GetIntArray("cells_shape"), F(config, "thresh"), F(config, "v_rest"),
            F(config, "alpha_v"), F(config, "alpha_t"), F(config, "dt"), F(config, "duration_refrac"), F(config, "tau_v"),
            F(config, "tau_t"), F(config, "alpha_thresh"), F(config, "tau_thresh"), config.GetString("update_type") ?? "linear",
            device);
    }
}
