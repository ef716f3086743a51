using Snn.Interop;
using Snn.Native;
using Snn.Networks;

namespace Snn.Timed;

/// <summary>
/// A small rate or spiking population for timed modules and examples, computed on the host in float32:
/// v' = decay v + gain x; without a threshold the output is v' (a rate neuron; decay 0 and gain 1 make it a
/// pass-through); with one, s = H(v' - threshold), the output is s and v' -= s threshold (reset by subtraction).
/// Parameters "decay" and "gain" [N]; state "v" [B, N]; records "v" (before the reset).
/// </summary>
[LayerType("LeakyIntegrator")]
public sealed class LeakyIntegrator : Layer
{
    private readonly Tensor _decay, _gain;
    private Tensor? _v;

    /// <summary>Creates <paramref name="size"/> integrators with one decay and gain for all (per-neuron values can be
    /// written into <see cref="Layer.Parameters"/>); <paramref name="threshold"/> null makes the output continuous.</summary>
    public LeakyIntegrator(int size, float decay = 0.9f, float gain = 1f, float? threshold = null, Device? device = null, string? name = null)
        : base([size], [size], device, name)
    {
        if (size <= 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"LeakyIntegrator needs size >= 1, got {size}.");
        if (threshold is { } th && !(th > 0 && float.IsFinite(th)))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"LeakyIntegrator: threshold must be finite and > 0, got {th}; pass null for a rate output.");
        Size = size;
        Threshold = threshold;
        _decay = Tensor.Full([size], decay, DType.Float32, Device);
        _gain = Tensor.Full([size], gain, DType.Float32, Device);
    }

    /// <summary>Number of neurons.</summary>
    public int Size { get; }

    /// <summary>Spike threshold, or null for a continuous (rate) output.</summary>
    public float? Threshold { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Parameters => new Dictionary<string, Tensor> { ["decay"] = _decay, ["gain"] = _gain };

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> State =>
        _v is null ? new Dictionary<string, Tensor>() : new Dictionary<string, Tensor> { ["v"] = _v };

    /// <inheritdoc/>
    public override IReadOnlyList<string> Recordable => ["v"];

    /// <inheritdoc/>
    public override bool SpikingOutput => Threshold is not null;

    /// <inheritdoc/>
    public override LayerConfig Config
    {
        get
        {
            var config = new LayerConfig(TypeName).Set("size", Size).Set("name", Name);
            return Threshold is { } th ? config.Set("threshold", th) : config.Set("threshold", (string?)null);
        }
    }

    /// <summary>Rebuilds a layer from its <see cref="Config"/> (parameters are restored by the loader).</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        float? threshold = null;
        if (config.Contains("threshold"))
        {
            try { threshold = (float)config.GetDouble("threshold"); }
            catch (SnnArgumentException) { threshold = null; }   // stored as null: a rate output
        }
        return new LeakyIntegrator((int)config.GetInt("size"), threshold: threshold, device: device, name: config.GetString("name"));
    }

    /// <inheritdoc/>
    public override void ResetState()
    {
        _v?.Dispose();
        _v = null;
    }

    /// <inheritdoc/>
    protected override void SetStateCore(string name, Tensor value)
    {
        if (name != "v")
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Name} (LeakyIntegrator) has no state variable \"{name}\"; its state is \"v\".");
        var shape = value.Shape;
        if (value.DType != DType.Float32 || shape.Length != 2 || shape[1] != Size)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Name} (LeakyIntegrator): state \"v\" must be float32 [batch, {Size}], got [{string.Join(", ", shape)}].");
        var copy = value.To(Device);
        _v?.Dispose();
        _v = copy;
    }

    /// <inheritdoc/>
    protected override Signal ForwardCore(Signal input)
    {
        // One native call: the neuron family's leaky integrator (LI), or LIF with subtractive reset when a
        // threshold is set, both integrating first (u = decay v + gain x), with per-neuron decays and input gains.
        var x = input.Values;
        var shape = x.Shape;
        var batch = shape[1];
        if (_v is null || _v.Shape[0] != batch)
        {
            _v?.Dispose();
            _v = null;
            _v = Tensor.Zeros([batch, Size], DType.Float32, Device);
        }
        var output = Tensor.Empty(shape, DType.Float32, Device); // the kernel writes every element
        Tensor? record = null;
        try
        {
            record = IsRecording("v") ? Tensor.Empty(shape, DType.Float32, Device) : null;
            Run(x, output, record);
            if (record is not null) SetRecorded("v", record);
            record = null;
            return new Signal(output);
        }
        catch
        {
            output.Dispose();
            record?.Dispose();
            throw;
        }
    }

    private unsafe void Run(Tensor x, Tensor output, Tensor? record)
    {
        var p = new snn_neuron_params
        {
            model = (int)(Threshold is null ? snn_neuron_model.SNN_NEURON_LI : snn_neuron_model.SNN_NEURON_LIF),
            spike_timing = (int)snn_spike_timing.SNN_SPIKE_AFTER_INPUT,
            reset_mode = (int)snn_reset_mode.SNN_RESET_SUBTRACT,
            threshold = Threshold ?? 1f,
            beta_per_neuron = _decay.Pointer,
            input_scale_per_neuron = _gain.Pointer,
        };
        var state = new snn_neuron_state { membrane = _v!.Pointer };
        var rec = new snn_neuron_record { membrane = record is null ? null : record.Pointer };
        NativeCall.Check(Methods.snn_neuron_forward(x.Pointer, &p, null, &state, output.Pointer, &rec));
        GC.KeepAlive(x);
        GC.KeepAlive(output);
        GC.KeepAlive(record);
        GC.KeepAlive(this);
    }

    /// <inheritdoc/>
    protected override void DisposeCore()
    {
        _decay.Dispose();
        _gain.Dispose();
        _v?.Dispose();
    }
}
