// PySNN's neurons (pysnn.neuron) under their own names and argument orders: each is a Population of the trace-neuron
// model of its kind (Snn.Neurons.TraceNeuronModel), which holds every equation; these classes only map arguments.
using Snn.Networks;
using Snn.Neurons;

namespace Snn.PySnn;

/// <summary>The part every PySNN neuron shares: a <see cref="Population"/> of trace neurons with PySNN's properties.</summary>
public abstract class TraceNeuron : Population
{
    private protected TraceNeuron(TraceNeuronKind kind, long[] cellsShape, float thresh, float vRest, float alphaV, float alphaT,
        float dt, float durationRefrac, float tauV, float tauT, float alphaThresh, float tauThresh, string updateType,
        Device? device, string? name)
        : base(new TraceNeuronModel(kind, dt, alphaT, tauT, thresh, vRest, alphaV, durationRefrac, tauV, alphaThresh, tauThresh,
            updateType, device), cellsShape, name) { }

    /// <summary>The model's constants.</summary>
    public TraceNeuronModel Neurons => (TraceNeuronModel)Model;

    /// <summary>Shape of the neurons of one sample (PySNN's <c>cells_shape</c> without its batch axis).</summary>
    public long[] CellsShape => InputShape;

    /// <summary>"linear" or "exponential".</summary>
    public string UpdateType => Neurons.UpdateType;

    /// <summary>Duration of one time step.</summary>
    public float Dt => Neurons.Dt;

    /// <summary>Trace increment per spike.</summary>
    public float AlphaT => Neurons.AlphaT;

    /// <summary>Trace decay per step ("linear") or time constant ("exponential").</summary>
    public float TauT => Neurons.TauT;

    /// <summary>PySNN's <c>neuron(x)</c> from Python: input [T, B, ...cells] of any numeric or bool dtype (PySNN's spikes
    /// are uint8 or bool); returns the spikes and their trace.</summary>
    [PythonName("__call__")]
    public Signal Invoke(Array x) => Spikes.Forward(this, x, null);

    /// <summary>The shape of a saved configuration: "shape", or "cells_shape" in files written before populations.</summary>
    private protected static long[] CellsOf(LayerConfig config) =>
        config.Contains("shape") ? config.GetIntArray("shape") : config.GetIntArray("cells_shape");
}

/// <summary>PySNN's spiking neurons: threshold, resting voltage, input scale and refractory period.</summary>
public abstract class SpikingTraceNeuron : TraceNeuron
{
    private protected SpikingTraceNeuron(TraceNeuronKind kind, long[] cellsShape, float thresh, float vRest, float alphaV,
        float alphaT, float dt, float durationRefrac, float tauV, float tauT, float alphaThresh, float tauThresh,
        string updateType, Device? device, string? name)
        : base(kind, cellsShape, thresh, vRest, alphaV, alphaT, dt, durationRefrac, tauV, tauT, alphaThresh, tauThresh,
            updateType, device, name) { }

    /// <summary>Firing threshold: a neuron spikes when v &gt;= thresh.</summary>
    public float Thresh => Neurons.Thresh;

    /// <summary>Resting and reset voltage.</summary>
    [PythonName("v_rest")]
    public float VRest => Neurons.VRest;

    /// <summary>Input scale.</summary>
    public float AlphaV => Neurons.AlphaV;

    /// <summary>Refractory period after a spike in time units.</summary>
    public float DurationRefrac => Neurons.DurationRefrac;
}

/// <summary>PySNN's <c>Input</c>: input spikes pass through unchanged and gain a trace. State: "trace".</summary>
[LayerType("InputNeuron")]
public sealed class InputNeuron : TraceNeuron
{
    /// <summary>PySNN's <c>Input(cells_shape, dt, alpha_t, tau_t, update_type="linear")</c>.</summary>
    public InputNeuron(long[] cellsShape, float dt, float alphaT, float tauT, string updateType = "linear",
        Device? device = null, string? name = null)
        : base(TraceNeuronKind.Input, cellsShape, 1, 0, 1, alphaT, dt, 0, 1, tauT, 0, 1, updateType, device, name) { }

    /// <summary>The same for a flat population of <paramref name="cellsShape"/> neurons.</summary>
    public InputNeuron(int cellsShape, float dt, float alphaT, float tauT, string updateType = "linear",
        Device? device = null, string? name = null)
        : this([(long)cellsShape], dt, alphaT, tauT, updateType, device, name) { }

    /// <summary>Rebuilds the layer from its <see cref="Layer.Config"/>.</summary>
    public static new Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        var m = TraceNeuronModel.FromConfig(config, TraceNeuronKind.Input, device);
        return new InputNeuron(CellsOf(config), m.Dt, m.AlphaT, m.TauT, m.UpdateType, device);
    }
}

/// <summary>PySNN's <c>IFNeuron</c>: <c>v += alpha_v x</c> while not refractory, spike when <c>v &gt;= thresh</c>,
/// reset to <c>v_rest</c>.</summary>
[LayerType("IFNeuron")]
public sealed class IFNeuron : SpikingTraceNeuron
{
    /// <summary>PySNN's <c>IFNeuron(cells_shape, thresh, v_rest, alpha_v, alpha_t, dt, duration_refrac, tau_t, update_type="linear")</c>.</summary>
    public IFNeuron(long[] cellsShape, float thresh, float vRest, float alphaV, float alphaT, float dt, float durationRefrac,
        float tauT, string updateType = "linear", Device? device = null, string? name = null)
        : base(TraceNeuronKind.If, cellsShape, thresh, vRest, alphaV, alphaT, dt, durationRefrac, 1, tauT, 0, 1, updateType, device, name) { }

    /// <summary>The same for a flat population of <paramref name="cellsShape"/> neurons.</summary>
    public IFNeuron(int cellsShape, float thresh, float vRest, float alphaV, float alphaT, float dt, float durationRefrac,
        float tauT, string updateType = "linear", Device? device = null, string? name = null)
        : this([(long)cellsShape], thresh, vRest, alphaV, alphaT, dt, durationRefrac, tauT, updateType, device, name) { }

    /// <summary>Rebuilds the layer from its <see cref="Layer.Config"/>.</summary>
    public static new Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        var m = TraceNeuronModel.FromConfig(config, TraceNeuronKind.If, device);
        return new IFNeuron(CellsOf(config), m.Thresh, m.VRest, m.AlphaV, m.AlphaT, m.Dt, m.DurationRefrac, m.TauT, m.UpdateType, device);
    }
}

/// <summary>PySNN's <c>LIFNeuron</c>: a leak towards <c>v_rest</c>, linear (<c>tau_v</c> a decay factor) or exponential
/// (<c>tau_v</c> a time constant); spike when <c>v &gt;= thresh</c>, reset to <c>v_rest</c>.</summary>
[LayerType("LIFNeuron")]
public sealed class LIFNeuron : SpikingTraceNeuron
{
    /// <summary>PySNN's <c>LIFNeuron(cells_shape, thresh, v_rest, alpha_v, alpha_t, dt, duration_refrac, tau_v, tau_t, update_type="linear")</c>.</summary>
    public LIFNeuron(long[] cellsShape, float thresh, float vRest, float alphaV, float alphaT, float dt, float durationRefrac,
        float tauV, float tauT, string updateType = "linear", Device? device = null, string? name = null)
        : base(TraceNeuronKind.Lif, cellsShape, thresh, vRest, alphaV, alphaT, dt, durationRefrac, tauV, tauT, 0, 1, updateType, device, name) { }

    /// <summary>The same for a flat population of <paramref name="cellsShape"/> neurons.</summary>
    public LIFNeuron(int cellsShape, float thresh, float vRest, float alphaV, float alphaT, float dt, float durationRefrac,
        float tauV, float tauT, string updateType = "linear", Device? device = null, string? name = null)
        : this([(long)cellsShape], thresh, vRest, alphaV, alphaT, dt, durationRefrac, tauV, tauT, updateType, device, name) { }

    /// <summary>Voltage decay per step ("linear") or time constant ("exponential").</summary>
    public float TauV => Neurons.TauV;

    /// <summary>Rebuilds the layer from its <see cref="Layer.Config"/>.</summary>
    public static new Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        var m = TraceNeuronModel.FromConfig(config, TraceNeuronKind.Lif, device);
        return new LIFNeuron(CellsOf(config), m.Thresh, m.VRest, m.AlphaV, m.AlphaT, m.Dt, m.DurationRefrac, m.TauV, m.TauT, m.UpdateType, device);
    }
}

/// <summary>PySNN's <c>AdaptiveLIFNeuron</c>: the LIF neuron whose threshold rises by <c>alpha_thresh</c> with every
/// spike and decays back to <c>thresh</c> with <c>tau_thresh</c>. State adds "threshold".</summary>
[LayerType("AdaptiveLIFNeuron")]
public sealed class AdaptiveLIFNeuron : SpikingTraceNeuron
{
    /// <summary>PySNN's <c>AdaptiveLIFNeuron(cells_shape, thresh, v_rest, alpha_v, alpha_t, dt, duration_refrac, tau_v,
    /// tau_t, alpha_thresh, tau_thresh, update_type="linear")</c>.</summary>
    public AdaptiveLIFNeuron(long[] cellsShape, float thresh, float vRest, float alphaV, float alphaT, float dt,
        float durationRefrac, float tauV, float tauT, float alphaThresh, float tauThresh, string updateType = "linear",
        Device? device = null, string? name = null)
        : base(TraceNeuronKind.AdaptiveLif, cellsShape, thresh, vRest, alphaV, alphaT, dt, durationRefrac, tauV, tauT, alphaThresh,
            tauThresh, updateType, device, name) { }

    /// <summary>The same for a flat population of <paramref name="cellsShape"/> neurons.</summary>
    public AdaptiveLIFNeuron(int cellsShape, float thresh, float vRest, float alphaV, float alphaT, float dt,
        float durationRefrac, float tauV, float tauT, float alphaThresh, float tauThresh, string updateType = "linear",
        Device? device = null, string? name = null)
        : this([(long)cellsShape], thresh, vRest, alphaV, alphaT, dt, durationRefrac, tauV, tauT, alphaThresh, tauThresh,
            updateType, device, name) { }

    /// <summary>Voltage decay per step ("linear") or time constant ("exponential").</summary>
    public float TauV => Neurons.TauV;

    /// <summary>Threshold increment per spike.</summary>
    public float AlphaThresh => Neurons.AlphaThresh;

    /// <summary>Threshold decay per step ("linear") or time constant ("exponential").</summary>
    public float TauThresh => Neurons.TauThresh;

    /// <summary>Rebuilds the layer from its <see cref="Layer.Config"/>.</summary>
    public static new Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        var m = TraceNeuronModel.FromConfig(config, TraceNeuronKind.AdaptiveLif, device);
        return new AdaptiveLIFNeuron(CellsOf(config), m.Thresh, m.VRest, m.AlphaV, m.AlphaT, m.Dt, m.DurationRefrac, m.TauV, m.TauT,
            m.AlphaThresh, m.TauThresh, m.UpdateType, device);
    }
}
