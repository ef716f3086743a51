using Snn.Interop;
using Snn.Native;
using Snn.Networks;

namespace Snn.Neurons;

/// <summary>
/// A population of <see cref="Size"/> spiking neurons of one model of the family (IF, LIF, LI, ALIF, CuBaLIF,
/// each optionally recurrent), run over a whole [T, B, N] input in one native call. The defaults are Spyx's
/// conventions: the spike is taken from the state before the step's input, reset subtracts the threshold and
/// decays are clamped into [0, 1]; <see cref="SpikeTiming"/>, <see cref="ResetMode"/>, <see cref="InclusiveThreshold"/>,
/// <see cref="RefractorySteps"/> and <see cref="MaxSpikesPerStep"/> select the conventions of snnTorch, PySNN and
/// Rockpool. The equations are in docs/neurons.md. The population owns its per-neuron decays and recurrent
/// weights; setting them copies the given tensor.
/// </summary>
public unsafe class NeuronModel : PopulationModel
{
    private Tensor? _alpha, _beta, _gamma, _inputScale, _recurrent;

    /// <summary>Creates <paramref name="size"/> neurons of <paramref name="kind"/> with scalar decays, on
    /// <paramref name="device"/> (the default CPU when null).</summary>
    public NeuronModel(NeuronKind kind, int size, float threshold = 1f, SpikeTiming spikeTiming = SpikeTiming.BeforeInput,
        ResetMode resetMode = ResetMode.Subtract, Device? device = null)
        : base(device)
    {
        if (!Enum.IsDefined(kind))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"kind {(int)kind} is not a NeuronKind; pass If, Lif, Li, Alif or CubaLif.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Kind = kind;
        Size = size;
        Threshold = threshold;
        SpikeTiming = spikeTiming;
        ResetMode = resetMode;
    }

    /// <summary>The model every neuron of the population follows.</summary>
    public NeuronKind Kind { get; }

    /// <summary>Number of neurons N (the last axis of the input).</summary>
    public int Size { get; }

    /// <summary>Firing threshold, finite and &gt; 0 (LI ignores it).</summary>
    public float Threshold { get; set; }

    /// <summary>Whether the spike of a step comes from the state before its input (Spyx) or after it (snnTorch).</summary>
    public SpikeTiming SpikeTiming { get; set; }

    /// <summary>What a spike does to the membrane: subtract the (effective) threshold, set it to zero, or nothing.</summary>
    public ResetMode ResetMode { get; set; }

    /// <summary>Spike when V &gt;= threshold (PySNN) instead of V &gt; threshold (Spyx, snnTorch).</summary>
    public bool InclusiveThreshold { get; set; }

    /// <summary>Steps after a spike during which the membrane is held and the neuron cannot fire (0: none).</summary>
    public int RefractorySteps { get; set; }

    /// <summary>1: at most one spike per step; k &gt; 1: floor(V / threshold) spikes, at most k (Rockpool's LIF),
    /// each subtracting the threshold.</summary>
    public int MaxSpikesPerStep { get; set; } = 1;

    /// <summary>Clamp decays into [0, 1] as they are used (Spyx); when false, decays outside are rejected.</summary>
    public bool ClipDecays { get; set; } = true;

    /// <summary>Synaptic current decay per step (CuBaLIF), used when <see cref="AlphaPerNeuron"/> is null.</summary>
    public float Alpha { get; set; } = 0.8f;

    /// <summary>Membrane decay per step (LIF, LI, ALIF, CuBaLIF), used when <see cref="BetaPerNeuron"/> is null.</summary>
    public float Beta { get; set; } = 0.9f;

    /// <summary>Threshold adaptation decay per step (ALIF), used when <see cref="GammaPerNeuron"/> is null.</summary>
    public float Gamma { get; set; } = 0.9f;

    /// <summary>Per-neuron synaptic current decays [N] (CuBaLIF), or null for the scalar <see cref="Alpha"/>.</summary>
    public Tensor? AlphaPerNeuron { get => _alpha; set => Replace(ref _alpha, value, [Size], nameof(AlphaPerNeuron)); }

    /// <summary>Per-neuron membrane decays [N], or null for the scalar <see cref="Beta"/>.</summary>
    public Tensor? BetaPerNeuron { get => _beta; set => Replace(ref _beta, value, [Size], nameof(BetaPerNeuron)); }

    /// <summary>Per-neuron threshold adaptation decays [N] (ALIF), or null for the scalar <see cref="Gamma"/>.</summary>
    public Tensor? GammaPerNeuron { get => _gamma; set => Replace(ref _gamma, value, [Size], nameof(GammaPerNeuron)); }

    /// <summary>Per-neuron input gains [N]: each step's input is first scaled, x = gain[n] input[n]; null for 1.</summary>
    public Tensor? InputScalePerNeuron { get => _inputScale; set => Replace(ref _inputScale, value, [Size], nameof(InputScalePerNeuron)); }

    /// <summary>Recurrent weights [N, N] indexed [pre, post]: each step adds s @ W to the input, s being the step's
    /// spikes (spike before input) or the previous step's (after input). Null for a feed-forward population.</summary>
    public Tensor? RecurrentWeight { get => _recurrent; set => Replace(ref _recurrent, value, [Size, Size], nameof(RecurrentWeight)); }

    /// <summary>The per-step decay exp(-dt / tau) of a time constant <paramref name="tau"/> at time step
    /// <paramref name="dt"/> (same units, both finite and &gt; 0).</summary>
    public static float DecayFromTau(double tau, double dt)
    {
        if (!(double.IsFinite(tau) && tau > 0))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"tau must be finite and > 0, got {tau}; pass the time constant in the units of dt.");
        if (!(double.IsFinite(dt) && dt > 0))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"dt must be finite and > 0, got {dt}; pass the simulation time step.");
        return (float)Math.Exp(-dt / tau);
    }

    /// <summary>
    /// A population of <paramref name="kind"/> initialised as Spyx initialises its neurons, each parameter from its own
    /// Philox stream of <paramref name="seed"/>: a decay given as a number is that scalar; a decay left null is
    /// per-neuron, drawn from a truncated normal with mean 0.5 and std 0.25 within [0, 1] (LI: every neuron starts at
    /// 0.8); <paramref name="recurrent"/> adds recurrent weights [N, N] from a truncated normal with std 0.01. The
    /// options (spike timing, reset, ...) keep their defaults, Spyx's conventions.
    /// </summary>
    public static NeuronModel Create(NeuronKind kind, int size, float? alpha = null, float? beta = null, float? gamma = null,
        float threshold = 1f, bool recurrent = false, ulong seed = 0, Device? device = null)
    {
        var model = new NeuronModel(kind, size, threshold, SpikeTiming.BeforeInput, ResetMode.Subtract, device);
        model.Initialise(() =>
        {
            if (kind == NeuronKind.CubaLif) model.InitialiseDecay(Parameter.Alpha, alpha, seed);
            if (kind == NeuronKind.Li) model.InitialiseDecay(Parameter.Beta, beta, 0, constant: 0.8f);
            else if (kind != NeuronKind.If) model.InitialiseDecay(Parameter.Beta, beta, seed);
            if (kind == NeuronKind.Alif) model.InitialiseDecay(Parameter.Gamma, gamma, seed);
            if (recurrent) model.InitialiseRecurrent(seed);
        });
        return model;
    }

    /// <summary>
    /// A leaky integrator, the small rate or spiking population of the timed modules: v' = decay v + gain x per step
    /// (the input integrated first). Without <paramref name="threshold"/> the output is v' (a rate neuron, the
    /// family's LI; decay 0 and gain 1 make it a pass-through); with one, s = H(v' - threshold) is the output and
    /// v' -= s threshold (LIF, reset by subtraction). <paramref name="decay"/> and <paramref name="gain"/> start equal
    /// for every neuron as the per-neuron parameters "beta" and "input_scale"; decays outside [0, 1] are refused.
    /// </summary>
    public static NeuronModel LeakyIntegrator(int size, float decay = 0.9f, float gain = 1f, float? threshold = null, Device? device = null)
    {
        if (threshold is { } th && !(th > 0 && float.IsFinite(th)))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"leaky integrator: threshold must be finite and > 0, got {th}; pass null for a rate output.");
        var model = new NeuronModel(threshold is null ? NeuronKind.Li : NeuronKind.Lif, size, threshold ?? 1f, SpikeTiming.AfterInput,
            ResetMode.Subtract, device) { ClipDecays = false };
        model.Initialise(() =>
        {
            model._beta = Tensor.Full([size], decay, DType.Float32, model.Device);
            model._inputScale = Tensor.Full([size], gain, DType.Float32, model.Device);
        });
        return model;
    }

    /// <summary>Sets the per-neuron decays given as arrays (each [N]; null leaves that decay as it is).</summary>
    public NeuronModel WithDecays(float[]? alpha = null, float[]? beta = null, float[]? gamma = null)
    {
        foreach (var (values, name) in new[] { (alpha, "alpha"), (beta, "beta"), (gamma, "gamma") })
        {
            if (values is null) continue;
            using var tensor = Tensor.FromArray(values, Device);
            if (name == "alpha") AlphaPerNeuron = tensor;
            else if (name == "beta") BetaPerNeuron = tensor;
            else GammaPerNeuron = tensor;
        }
        return this;
    }

    /// <summary>A zero state for <paramref name="batchSize"/> samples with every variable this configuration uses
    /// (Spyx's initial_state).</summary>
    public NeuronState InitialState(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchSize);
        return NewState(null, Device, [batchSize, Size]);
    }

    /// <summary>
    /// Runs the population over <paramref name="input"/> [T, B, N] (currents or spikes from the previous layer).
    /// <paramref name="state"/> is the state before the first step (zeros when null; it is not modified). With
    /// <paramref name="record"/>, the pre-reset membrane of every step is kept, and the current, adaptation and
    /// refractory counter where the model has them.
    /// </summary>
    public NeuronOutput Forward(Tensor input, NeuronState? state = null, bool record = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var shape = RequireSequence(input, nameof(input));
        if (shape[2] != Size)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"input has {shape[2]} features per step but this {Kind} population has {Size} neurons; pass input of shape [time, batch, {Size}].");
        var owned = new List<IDisposable>();
        try
        {
            var output = Track(owned, input.NewOutputLike(shape));
            var next = Track(owned, NewState(state, input.Device, [shape[1], shape[2]]));
            Tensor? NewRecord(bool produced) => record && produced ? Track(owned, input.NewLike(shape)) : null;
            var membrane = NewRecord(true);
            var current = NewRecord(Kind == NeuronKind.CubaLif);
            var adaptation = NewRecord(Kind == NeuronKind.Alif);
            var refractory = NewRecord(RefractorySteps > 0 && Kind != NeuronKind.Li);
            var parameters = Parameters();
            Invoke(parameters, input, _recurrent, _alpha, _beta, _gamma, _inputScale, next, output, membrane, current, adaptation, refractory);
            return new NeuronOutput(output, next, membrane, current, adaptation, refractory);
        }
        catch
        {
            foreach (var item in owned) item.Dispose();
            throw;
        }
    }

    /// <summary>Releases the per-neuron decays and the recurrent weights.</summary>
    public override void Dispose()
    {
        _disposed = true;
        _alpha?.Dispose();
        _beta?.Dispose();
        _gamma?.Dispose();
        _inputScale?.Dispose();
        _recurrent?.Dispose();
        _alpha = _beta = _gamma = _inputScale = _recurrent = null;
    }

    internal override string ConfigName => "family";

    internal override void WriteConfig(LayerConfig config) => config
        .Set("kind", Kind.ToString())
        .Set("size", Size)
        .Set("threshold", Threshold)
        .Set("spike_timing", SpikeTiming.ToString())
        .Set("reset_mode", ResetMode.ToString())
        .Set("inclusive_threshold", InclusiveThreshold)
        .Set("refractory_steps", RefractorySteps)
        .Set("max_spikes_per_step", MaxSpikesPerStep)
        .Set("clip_decays", ClipDecays)
        .Set("alpha", Alpha)
        .Set("beta", Beta)
        .Set("gamma", Gamma)
        .Set("per_neuron", string.Join(",", new[] { ("alpha", _alpha), ("beta", _beta), ("gamma", _gamma), ("input_scale", _inputScale) }.Where(p => p.Item2 is not null).Select(p => p.Item1)))
        .Set("recurrent", _recurrent is not null);

    internal override PopulationRunner CreateRunner(Population population) => new FamilyRunner(population, this);

    /// <summary>Rebuilds a model from what <see cref="WriteConfig"/> wrote, with zero per-neuron decays and recurrent
    /// weights where the saved one had them (a loader then fills in the saved values).</summary>
    internal static NeuronModel FromConfig(LayerConfig config, Device device)
    {
        var kind = Enum.Parse<NeuronKind>(config.GetString("kind")!);
        var size = checked((int)config.GetInt("size"));
        var model = new NeuronModel(kind, size, (float)config.GetDouble("threshold"),
            Enum.Parse<SpikeTiming>(config.GetString("spike_timing")!), Enum.Parse<ResetMode>(config.GetString("reset_mode")!), device)
        {
            InclusiveThreshold = config.GetBool("inclusive_threshold"),
            RefractorySteps = checked((int)config.GetInt("refractory_steps")),
            MaxSpikesPerStep = checked((int)config.GetInt("max_spikes_per_step")),
            ClipDecays = config.GetBool("clip_decays"),
            Alpha = (float)config.GetDouble("alpha"),
            Beta = (float)config.GetDouble("beta"),
            Gamma = (float)config.GetDouble("gamma"),
        };
        model.Initialise(() =>
        {
            foreach (var name in (config.GetString("per_neuron") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                using var zeros = Tensor.Zeros([size], DType.Float32, device);
                if (name == "alpha") model.AlphaPerNeuron = zeros;
                else if (name == "beta") model.BetaPerNeuron = zeros;
                else if (name == "gamma") model.GammaPerNeuron = zeros;
                else if (name == "input_scale") model.InputScalePerNeuron = zeros;
                else throw new SnnArgumentException(ErrorCode.InvalidArgument, $"Population configuration names an unknown per-neuron decay \"{name}\"; the file is damaged.");
            }
            if (config.GetBool("recurrent"))
            {
                using var zeros = Tensor.Zeros([size, size], DType.Float32, device);
                model.RecurrentWeight = zeros;
            }
        });
        return model;
    }

    /// <summary>The shape of a [T, B, N] tensor, or an exception naming the parameter.</summary>
    internal static long[] RequireSequence(Tensor tensor, string name)
    {
        var shape = tensor.Shape;
        if (shape.Length != 3)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{name} must have shape [time, batch, features], got [{string.Join(", ", shape)}]; add the missing time or batch axis.");
        return shape;
    }

    private bool _disposed;

    /// <summary>Seed offsets of Spyx-style initialisation: each parameter draws its own Philox stream.</summary>
    internal enum Parameter : ulong { Alpha = 0, Beta = 1, Gamma = 2, Recurrent = 3 }

    /// <summary>
    /// Spyx's initialisation of a decay: a given value becomes the scalar; null makes it per-neuron, drawn from a
    /// truncated normal with mean 0.5 and std 0.25 (within [0, 1]), or set to <paramref name="constant"/> when given
    /// (Spyx's LI starts every neuron at 0.8).
    /// </summary>
    internal void InitialiseDecay(Parameter which, float? value, ulong seed, float? constant = null)
    {
        if (value is { } scalar)
        {
            if (which == Parameter.Alpha) Alpha = scalar;
            else if (which == Parameter.Beta) Beta = scalar;
            else Gamma = scalar;
            return;
        }
        var decays = Tensor.Zeros([Size], DType.Float32, Device);
        try
        {
            if (constant is { } c) decays.Fill(c);
            else Initializers.TruncatedNormal(decays, mean: 0.5, std: 0.25, seed, (ulong)which);
        }
        catch
        {
            decays.Dispose();
            throw;
        }
        if (which == Parameter.Alpha) _alpha = decays;
        else if (which == Parameter.Beta) _beta = decays;
        else _gamma = decays;
    }

    /// <summary>Spyx's recurrent weights: [N, N] from a truncated normal with std 0.01.</summary>
    internal void InitialiseRecurrent(ulong seed)
    {
        var weights = Tensor.Zeros([Size, Size], DType.Float32, Device);
        try
        {
            Initializers.TruncatedNormal(weights, mean: 0, std: 0.01, seed, (ulong)Parameter.Recurrent);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
        _recurrent = weights;
    }

    /// <summary>Runs <paramref name="initialise"/> on a new population, disposing it when that fails.</summary>
    internal void Initialise(Action initialise)
    {
        try
        {
            initialise();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The scalars and options as the C ABI takes them (the per-neuron tensors are added by <see cref="Invoke"/>).</summary>
    internal snn_neuron_params Parameters() => new()
    {
        model = (int)Kind,
        spike_timing = (int)SpikeTiming,
        reset_mode = (int)ResetMode,
        inclusive_threshold = InclusiveThreshold ? 1 : 0,
        refractory_steps = RefractorySteps,
        max_spikes_per_step = MaxSpikesPerStep,
        clip_decays = ClipDecays ? 1 : 0,
        threshold = Threshold,
        alpha = Alpha,
        beta = Beta,
        gamma = Gamma,
    };

    /// <summary>Sets the per-neuron tensors of <paramref name="parameters"/> and calls <c>snn_neuron_forward</c>;
    /// <paramref name="membrane"/> may be <paramref name="input"/> itself (updated in place).</summary>
    internal static void Invoke(snn_neuron_params parameters, Tensor input, Tensor? recurrent, Tensor? alpha, Tensor? beta,
        Tensor? gamma, Tensor? inputScale, NeuronState state, Tensor output, Tensor? membrane, Tensor? current = null, Tensor? adaptation = null,
        Tensor? refractory = null)
    {
        parameters.alpha_per_neuron = Pointer(alpha);
        parameters.beta_per_neuron = Pointer(beta);
        parameters.gamma_per_neuron = Pointer(gamma);
        parameters.input_scale_per_neuron = Pointer(inputScale);
        var st = new snn_neuron_state
        {
            membrane = state.Membrane.Pointer,
            current = Pointer(state.Current),
            adaptation = Pointer(state.Adaptation),
            refractory = Pointer(state.Refractory),
            spikes = Pointer(state.Spikes),
        };
        var rec = new snn_neuron_record
        {
            membrane = Pointer(membrane),
            current = Pointer(current),
            adaptation = Pointer(adaptation),
            refractory = Pointer(refractory),
        };
        NativeCall.Check(Methods.snn_neuron_forward(input.Pointer, &parameters, Pointer(recurrent), &st, output.Pointer, &rec));
        GC.KeepAlive(input);
        GC.KeepAlive(recurrent);
        GC.KeepAlive(alpha);
        GC.KeepAlive(beta);
        GC.KeepAlive(gamma);
        GC.KeepAlive(inputScale);
        GC.KeepAlive(state);
        GC.KeepAlive(output);
        GC.KeepAlive(membrane);
        GC.KeepAlive(current);
        GC.KeepAlive(adaptation);
        GC.KeepAlive(refractory);
    }

    /// <summary>A state on <paramref name="device"/> with the variables this configuration uses: copies of those
    /// <paramref name="from"/> has, zeros for the others.</summary>
    private NeuronState NewState(NeuronState? from, Device device, long[] shape)
    {
        var owned = new List<IDisposable>();
        try
        {
            Tensor? Variable(bool used, Tensor? given) =>
                used ? Track(owned, given is null ? Tensor.Zeros(shape, DType.Float32, device) : given.To(device)) : null;
            var membrane = Variable(true, from?.Membrane)!;
            var current = Variable(Kind == NeuronKind.CubaLif, from?.Current);
            var adaptation = Variable(Kind == NeuronKind.Alif, from?.Adaptation);
            var refractory = Variable(RefractorySteps > 0 && Kind != NeuronKind.Li, from?.Refractory);
            var spikes = Variable(_recurrent is not null && SpikeTiming == SpikeTiming.AfterInput, from?.Spikes);
            return new NeuronState(membrane, current, adaptation, refractory, spikes);
        }
        catch
        {
            foreach (var item in owned) item.Dispose();
            throw;
        }
    }

    private void Replace(ref Tensor? field, Tensor? value, long[] shape, string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Tensor? copy = null;
        if (value is not null)
        {
            if (value.DType != DType.Float32 || !value.Shape.SequenceEqual(shape))
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{name} must be float32 [{string.Join(", ", shape)}] for {Size} neurons, got {value.DType.ToString().ToLowerInvariant()} [{string.Join(", ", value.Shape)}].");
            copy = value.To(Device);
        }
        field?.Dispose();
        field = copy;
    }

    private static T Track<T>(List<IDisposable> owned, T item) where T : IDisposable
    {
        owned.Add(item);
        return item;
    }

    private static snn_tensor* Pointer(Tensor? tensor) => tensor is null ? null : tensor.Pointer;
}
