using System.Globalization;
using Snn.Interop;
using Snn.Native;
using Snn.Networks;

namespace Snn.Connections;

/// <summary>
/// PySNN's <c>Connection</c>: synaptic weights between two neuron populations, a transmission delay of a whole number
/// of time steps, and the presynaptic trace that travels with the spikes. <see cref="Layer.Forward(Signal)"/> maps
/// presynaptic spikes [T, B, ...<see cref="Layer.InputShape"/>] to activation potentials
/// [T, B, ...<see cref="Layer.OutputShape"/>]: output step t is the projection of input step t - <see cref="DelaySteps"/>
/// (zero before the first spike can arrive). The delay line keeps the last <see cref="DelaySteps"/> input steps
/// between calls, so a sequence fed in pieces gives the same result as fed whole and no spike in flight is lost.
/// Unlike PySNN, which returns one activation per synapse and leaves the sum to the neuron, the output is the
/// summed activation potential per postsynaptic neuron.
/// </summary>
public abstract unsafe class Connection : Layer
{
    private Tensor? _line;          // [D, B, ...InputShape], oldest step first
    private Tensor? _stateView;     // [B, D, ...InputShape], what State last handed out
    private readonly Tensor _weight;
    private readonly Tensor? _bias;

    /// <summary>Validates <paramref name="dt"/> and <paramref name="delay"/> and creates the weight (and bias) tensors,
    /// the weights drawn uniform in [0, 1) from <paramref name="seed"/> as PySNN's <c>init_connection</c> does and the
    /// bias zero.</summary>
    private protected Connection(long[] inputShape, long[] outputShape, long[] weightShape, bool bias, double dt, double delay,
                                 ulong seed, Device? device, string? name)
        : base(inputShape, outputShape, device, name)
    {
        Dt = dt;
        Delay = delay;
        DelaySteps = DelayToSteps(dt, delay);
        Seed = seed;
        _weight = Tensor.Zeros(weightShape, DType.Float32, Device);
        try
        {
            if (bias) _bias = Tensor.Zeros([weightShape[0]], DType.Float32, Device);
            ResetWeights(seed: seed);
        }
        catch
        {
            _weight.Dispose();
            _bias?.Dispose();
            throw;
        }
    }

    /// <summary>Duration of one time step (same unit as <see cref="Delay"/>), &gt; 0.</summary>
    public double Dt { get; }

    /// <summary>Transmission delay in time units, a whole multiple of <see cref="Dt"/>.</summary>
    public double Delay { get; }

    /// <summary>The delay in steps, <see cref="Delay"/> / <see cref="Dt"/>.</summary>
    public int DelaySteps { get; }

    /// <summary>The seed the weights were first drawn from.</summary>
    public ulong Seed { get; }

    /// <summary>The batch size every input must have, for layers built for one (PySNN's <c>batch_size</c>); null when
    /// any batch size is taken (the default).</summary>
    public int? BatchSize
    {
        get => _batchSize;
        private protected init
        {
            if (value is <= 0)
                throw new SnnArgumentException(ErrorCode.InvalidArgument, $"batch_size = {value} must be >= 1 (the number of samples in a batch).");
            _batchSize = value;
        }
    }

    private readonly int? _batchSize;

    /// <summary>Synaptic weights, owned by the layer (writing into them changes the layer).</summary>
    public Tensor Weight => _weight;

    /// <summary>Bias [out], owned by the layer, or null (PySNN's connections have none; the default).</summary>
    public Tensor? Bias => _bias;

    /// <summary>"weight" and, when present, "bias".</summary>
    public override IReadOnlyDictionary<string, Tensor> Parameters =>
        _bias is null ? new Dictionary<string, Tensor> { ["weight"] = _weight }
                      : new Dictionary<string, Tensor> { ["weight"] = _weight, ["bias"] = _bias };

    /// <summary>
    /// "delay_line" [B, <see cref="DelaySteps"/>, ...<see cref="Layer.InputShape"/>]: the last input steps, oldest first,
    /// that have not yet reached the output; absent at rest and without delay. The tensor is a copy owned by the
    /// layer, valid until the next access of <see cref="State"/>, the next call or disposal.
    /// </summary>
    public override IReadOnlyDictionary<string, Tensor> State
    {
        get
        {
            _stateView?.Dispose();
            _stateView = null;
            if (_line is null) return new Dictionary<string, Tensor>();
            _stateView = _line.SwapLeadingAxes(); // the line is kept [delay, B, ...]; the state is [B, delay, ...]
            return new Dictionary<string, Tensor> { ["delay_line"] = _stateView };
        }
    }

    /// <summary>"spikes": the presynaptic spikes after the delay, as the weights saw them, and "trace": the presynaptic
    /// trace given with the input (not delayed, as in PySNN), both [T, B, ...<see cref="Layer.InputShape"/>]. The trace
    /// is recorded only when the input carries one.</summary>
    public override IReadOnlyList<string> Recordable => ["spikes", "trace"];

    /// <inheritdoc/>
    public override bool SpikingInput => true;

    /// <summary>Empties the delay line; the weights are kept.</summary>
    public override void ResetState()
    {
        _line?.Dispose();
        _line = null;
        _stateView?.Dispose();
        _stateView = null;
    }

    /// <summary>
    /// Redraws the weights as PySNN's <c>reset_weights</c> does, from Philox stream (<paramref name="seed"/>, 0), identically
    /// on every device and language: "uniform" U(a, b); "neuron_scaled_uniform" U(a, b) / sqrt(shape[1]);
    /// "neuron_scaled_normal" gain N(0, 1) / sqrt(shape[1]); "normalized" U(a, b) divided by its sum, times gain;
    /// "normal" N(0, 1); "xavier_normal" N(0, gain^2 2 / (fan_in + fan_out)) and "xavier_uniform"
    /// U(±gain sqrt(6 / (fan_in + fan_out))), both then shifted by a times their maximum; "kaiming_normal"
    /// N(0, 2 / fan_in) and "kaiming_uniform" U(±sqrt(6 / fan_in)) (PyTorch's defaults, gain and a unused);
    /// "constant" gain. shape[1] is in_features (Linear) or in_channels / groups (Conv2d); fan_in = shape[1] times the
    /// kernel size, fan_out = shape[0] times the kernel size. The bias, if any, is left alone.
    /// </summary>
    public void ResetWeights(string distribution = "uniform", double gain = 1.0, double a = 0.0, double b = 1.0, ulong seed = 0)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        WeightInit.Fill(_weight, distribution, gain, a, b, seed);
    }

    /// <inheritdoc/>
    protected override void SetStateCore(string name, Tensor value)
    {
        if (name != "delay_line")
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Name} ({TypeName}) has no state variable \"{name}\"; its only state is \"delay_line\"{(DelaySteps == 0 ? ", and only with a delay" : "")}.");
        var shape = value.Shape;
        if (DelaySteps == 0 || value.DType != DType.Float32 || shape.Length != InputShape.Length + 2 || shape[1] != DelaySteps
            || !shape.AsSpan(2).SequenceEqual(InputShape))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                DelaySteps == 0
                    ? $"{Name} ({TypeName}) has no delay, so no delay line to set."
                    : $"{Name} ({TypeName}): delay_line must be float32 [batch, {DelaySteps}, {string.Join(", ", InputShape)}], got {value.DType.ToString().ToLowerInvariant()} [{string.Join(", ", shape)}].");
        using var onDevice = value.To(Device);
        var line = onDevice.SwapLeadingAxes();
        ResetState();
        _line = line;
    }

    /// <summary>Writes the projection of <paramref name="spikes"/> [T, B, ...InputShape] (already delayed) into
    /// <paramref name="output"/> [T, B, ...OutputShape].</summary>
    private protected abstract void Project(Tensor spikes, Tensor output);

    /// <inheritdoc/>
    protected sealed override Signal ForwardCore(Signal input)
    {
        var x = input.Values;
        var shape = x.Shape;
        if (BatchSize is { } batch && shape[1] != batch)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Name} ({TypeName}) was built for batch_size {batch} but the input has batch {shape[1]}; pass batches of {batch} samples or build the layer with batch_size {shape[1]}.");
        Tensor? delayed = null;
        var output = x.NewOutputLike([shape[0], shape[1], .. OutputShape]);
        try
        {
            _stateView?.Dispose();
            _stateView = null;
            if (DelaySteps > 0)
            {
                if (_line is not null && _line.Shape[1] != shape[1]) ResetState();
                _line ??= x.NewLike([DelaySteps, shape[1], .. InputShape]);
                delayed = x.NewLike(shape);
                NativeCall.Check(Methods.snn_delay_line(x.Pointer, _line.Pointer, delayed.Pointer));
                GC.KeepAlive(x);
            }
            var spikes = delayed ?? x;
            Project(spikes, output);
            if (IsRecording("spikes"))
            {
                SetRecorded("spikes", delayed ?? x.Clone());
                delayed = null;
            }
            if (IsRecording("trace") && input.Trace is { } trace) SetRecorded("trace", trace.Clone());
            return new Signal(output);
        }
        catch
        {
            output.Dispose();
            throw;
        }
        finally
        {
            delayed?.Dispose();
        }
    }

    /// <inheritdoc/>
    protected override void DisposeCore()
    {
        ResetState();
        _weight.Dispose();
        _bias?.Dispose();
    }

    /// <summary>Adds the base settings (dt, delay, bias, seed) to a configuration.</summary>
    private protected LayerConfig WithBase(LayerConfig config) =>
        config.Set("dt", Dt).Set("delay", Delay).Set("bias", _bias is not null).Set("seed", (long)Seed);

    /// <summary>The delay in whole steps, or an exception saying the rule.</summary>
    internal static int DelayToSteps(double dt, double delay)
    {
        if (!double.IsFinite(dt) || dt <= 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                string.Create(CultureInfo.InvariantCulture, $"dt = {dt} must be finite and > 0 (the duration of one time step)."));
        if (!double.IsFinite(delay) || delay < 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                string.Create(CultureInfo.InvariantCulture, $"delay = {delay} must be finite and >= 0 (0 for none)."));
        var steps = delay / dt;
        var whole = Math.Round(steps);
        if (Math.Abs(steps - whole) > 1e-9 * Math.Max(1.0, steps) || whole > int.MaxValue)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                string.Create(CultureInfo.InvariantCulture,
                    $"delay = {delay} is {steps} steps of dt = {dt}; the delay must be a whole number of time steps (an integer multiple of dt), e.g. {whole * dt}."));
        return (int)whole;
    }
}
