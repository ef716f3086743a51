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
        var shape = input.Values.Shape;
        long steps = shape[0], batch = shape[1];
        var n = Size;
        var x = new float[input.Values.ElementCount];
        input.Values.CopyTo<float>(x);
        var decay = new float[n];
        var gain = new float[n];
        _decay.CopyTo<float>(decay);
        _gain.CopyTo<float>(gain);
        var v = new float[batch * n];
        if (_v is not null && _v.Shape[0] == batch) _v.CopyTo<float>(v);
        var output = new float[x.Length];
        var record = IsRecording("v") ? new float[x.Length] : null;
        for (long t = 0; t < steps; t++)
        {
            for (long b = 0; b < batch; b++)
            {
                for (var i = 0; i < n; i++)
                {
                    var k = (t * batch + b) * n + i;
                    var j = b * n + i;
                    var u = decay[i] * v[j] + gain[i] * x[k];
                    if (record is not null) record[k] = u;
                    if (Threshold is { } th)
                    {
                        var s = u > th ? 1f : 0f;
                        output[k] = s;
                        u -= s * th;
                    }
                    else output[k] = u;
                    v[j] = u;
                }
            }
        }
        var state = Tensor.FromArray(v, [batch, n], Device);
        _v?.Dispose();
        _v = state;
        if (record is not null) SetRecorded("v", Tensor.FromArray(record, shape, Device));
        return new Signal(Tensor.FromArray(output, shape, Device));
    }

    /// <inheritdoc/>
    protected override void DisposeCore()
    {
        _decay.Dispose();
        _gain.Dispose();
        _v?.Dispose();
    }
}
