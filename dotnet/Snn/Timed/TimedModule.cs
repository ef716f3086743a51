using Snn.Networks;

namespace Snn.Timed;

/// <summary>
/// Rockpool's TimedModule: a clock-driven <see cref="Networks.Layer"/> run on time series with time step
/// <see cref="Dt"/> and an internal clock <see cref="T"/>. <see cref="Evolve"/> samples (TSContinuous, "previous"
/// interpolation) or rasterises (TSEvent, [t, t + dt) bins) the input on the step grid T + i dt, runs the layer for
/// those steps (batch 1, state kept between calls), wraps the output as a TSEvent (spiking output, events at bin
/// middles) or a TSContinuous (clocked samples) and advances the clock. Parameters, state and simulation parameters
/// come out as nested dictionaries keyed by name, sub-modules by their names.
/// </summary>
public class TimedModule : IDisposable
{
    private readonly Dictionary<string, Array> _initialParameters = []; // each in its tensor's shape and element type
    private readonly bool _ownsLayer;
    private double _dt;
    private bool _disposed;

    /// <summary>
    /// Wraps <paramref name="layer"/> (input [T, 1, ...InputShape], output [T, 1, ...OutputShape]; channels are the
    /// flattened per-step shapes). <paramref name="spikingInput"/>: the module takes TSEvent input (rasterised, event
    /// counts per bin with <paramref name="addEvents"/>, else 0/1); otherwise TSContinuous. <paramref name="spikingOutput"/>:
    /// the output counts become a TSEvent; otherwise a TSContinuous. Both default to what the layer says it takes and
    /// gives (<see cref="Networks.Layer.SpikingInput"/>, <see cref="Networks.Layer.SpikingOutput"/>). With
    /// <paramref name="ownsLayer"/>, disposing the module disposes the layer.
    /// </summary>
    public TimedModule(Layer layer, double dt, bool? spikingInput = null, bool? spikingOutput = null, string? name = null,
        bool addEvents = true, bool ownsLayer = false)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ObjectDisposedException.ThrowIf(layer.IsDisposed, layer);
        Layer = layer;
        Dt = dt;
        SpikingInput = spikingInput ?? layer.SpikingInput;
        SpikingOutput = spikingOutput ?? layer.SpikingOutput;
        AddEvents = addEvents;
        Name = name ?? layer.Name;
        _ownsLayer = ownsLayer;
        SizeIn = layer.InputShape.Aggregate(1L, (a, b) => a * b);
        SizeOut = layer.OutputShape.Aggregate(1L, (a, b) => a * b);
        foreach (var (key, tensor) in layer.Parameters) _initialParameters[key] = tensor.ToArray();
    }

    /// <summary>The wrapped layer.</summary>
    public Layer? Layer { get; }

    /// <summary>
    /// For composite modules (<see cref="TimedSequential"/>): a module without a layer of its own, whose evolution
    /// <see cref="EvolveCore"/> implements.
    /// </summary>
    protected TimedModule(double dt, long sizeIn, long sizeOut, bool spikingInput, bool spikingOutput, string? name)
    {
        Dt = dt;
        SizeIn = sizeIn;
        SizeOut = sizeOut;
        SpikingInput = spikingInput;
        SpikingOutput = spikingOutput;
        AddEvents = true;
        Name = name ?? "";
    }

    private static readonly IReadOnlyDictionary<string, Tensor> NoTensors = new Dictionary<string, Tensor>();

    private IReadOnlyDictionary<string, Tensor> LayerParameters => Layer?.Parameters ?? NoTensors;

    private IReadOnlyDictionary<string, Tensor> LayerState => Layer?.State ?? NoTensors;

    /// <summary>The simulation and rasterisation time step in seconds; changing it keeps the step count, so
    /// <see cref="T"/> scales with it.</summary>
    public double Dt
    {
        get => _dt;
        set
        {
            if (!(value > 0 && double.IsFinite(value)))
                throw new SnnArgumentException(ErrorCode.InvalidArgument, $"dt must be a finite number of seconds > 0, got {value}.");
            _dt = value;
        }
    }

    /// <summary>Number of time steps evolved since the last clock reset.</summary>
    public long Timestep { get; private set; }

    /// <summary>The current evolution time in seconds, <see cref="Timestep"/> times <see cref="Dt"/>; setting it
    /// moves the clock to floor(t / dt) steps.</summary>
    public double T
    {
        get => Timestep * Dt;
        set
        {
            if (!(value >= 0 && double.IsFinite(value)))
                throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{FullName}: t must be a finite time >= 0, got {value}.");
            Timestep = (long)Math.Floor(value / Dt + 1e-9);
            foreach (var m in Modules().Values) m.T = value;
        }
    }

    /// <summary>The module's name ("" when none).</summary>
    public string Name { get; set; }

    /// <summary>Class name of this module.</summary>
    public string ClassName => GetType().Name;

    /// <summary>Class and name, e.g. "TimedModule 'hidden'".</summary>
    public string FullName => $"{ClassName} '{Name}'";

    /// <summary>Number of input channels (the layer's flattened input shape).</summary>
    public long SizeIn { get; }

    /// <summary>Number of output channels (the layer's flattened output shape).</summary>
    public long SizeOut { get; }

    /// <summary>(size_in, size_out).</summary>
    public long[] Shape => [SizeIn, SizeOut];

    /// <summary>True when the module takes events (<see cref="TSEvent"/>).</summary>
    public bool SpikingInput { get; }

    /// <summary>True when the module returns events (<see cref="TSEvent"/>).</summary>
    public bool SpikingOutput { get; }

    /// <summary>Whether several input events in one bin and channel add up (true) or count once.</summary>
    public bool AddEvents { get; }

    /// <summary>The time series class accepted: <see cref="TSEvent"/> or <see cref="TSContinuous"/>.</summary>
    public Type InputType => SpikingInput ? typeof(TSEvent) : typeof(TSContinuous);

    /// <summary>The time series class returned: <see cref="TSEvent"/> or <see cref="TSContinuous"/>.</summary>
    public Type OutputType => SpikingOutput ? typeof(TSEvent) : typeof(TSContinuous);

    /// <summary>
    /// Number of steps an evolution takes (Rockpool's rule): <paramref name="numTimesteps"/> when given; else
    /// floor(duration / dt) (1e-6 of a step forgives rounding); else up to the end of <paramref name="tsInput"/>
    /// (its duration when periodic, t_stop - T otherwise).
    /// </summary>
    public long DetermineTimesteps(TimeSeries? tsInput = null, double? duration = null, long? numTimesteps = null)
    {
        if (numTimesteps is { } n)
        {
            if (n < 0)
                throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{FullName}: num_timesteps must be a non-negative integer, got {n}.");
            return n;
        }
        double d;
        if (duration is { } given) d = given;
        else if (tsInput is null)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{FullName}: pass ts_input, duration or num_timesteps so the evolution knows how long to run.");
        else if (tsInput.Periodic) d = tsInput.Duration;
        else
        {
            d = tsInput.TStop - T;
            if (d <= 0)
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{FullName}: ts_input ends at t = {tsInput.TStop}, not after the module time t = {T}; pass a duration, reset the clock (ResetTime) or give later input.");
        }
        if (!(d >= 0 && double.IsFinite(d)))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{FullName}: duration must be a finite time >= 0, got {d}.");
        return (long)Math.Floor(d / Dt + 1e-6);
    }

    /// <summary>
    /// Evolves the module from its clock <see cref="T"/> for <see cref="DetermineTimesteps"/> steps on
    /// <paramref name="tsInput"/> (zeros when null) and advances the clock. Returns the output time series (starting at
    /// the old T, t_stop = old T + steps dt), the new state (as <see cref="State"/>) and, with
    /// <paramref name="record"/>, every variable the layer can record as a TSContinuous [steps, channels] on the same
    /// clock (an empty dictionary otherwise).
    /// </summary>
    public (TimeSeries Output, Dictionary<string, object> NewState, Dictionary<string, object> Record) Evolve(
        TimeSeries? tsInput = null, double? duration = null, long? numTimesteps = null, bool? record = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var recording = record ?? Record;
        if (tsInput is not null && !InputType.IsInstanceOfType(tsInput))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{FullName} takes {InputType.Name} input (spiking_input={SpikingInput}), got {tsInput.GetType().Name}; convert it (TSEvent.FromRaster, TSContinuous.FromClocked) or build the module with the other input kind.");
        var steps = DetermineTimesteps(tsInput, duration, numTimesteps);
        var (series, recorded) = EvolveCore(tsInput, steps, recording);
        Timestep += steps;
        return (series, State(), recorded);
    }

    /// <summary>Whether <see cref="Evolve"/> records when its <c>record</c> argument is not given (Rockpool's
    /// <c>record=</c> constructor argument).</summary>
    public bool Record { get; set; }

    /// <summary><see cref="Evolve"/>, so that Python calls a module as <c>mod(ts)</c> as Rockpool's users do.</summary>
    [PythonName("__call__")]
    public (TimeSeries Output, Dictionary<string, object> NewState, Dictionary<string, object> Record) Invoke(
        TimeSeries? tsInput = null, double? duration = null, long? numTimesteps = null, bool? record = null) =>
        Evolve(tsInput, duration, numTimesteps, record);

    /// <summary>Evolves <paramref name="steps"/> steps from <see cref="T"/> (the clock is advanced by the caller):
    /// samples or rasterises the input, runs the layer and wraps its output.</summary>
    protected virtual (TimeSeries Output, Dictionary<string, object> Record) EvolveCore(TimeSeries? tsInput, long steps, bool record)
    {
        var t0 = T;
        var input = PrepareInput(tsInput, steps);
        var (output, recorded) = EvolveSteps(input, steps, record);
        return (WrapOutput(output, steps, t0), recorded);
    }

    /// <summary>The input of one evolution on the step grid T + i dt, [steps, size_in] (Rockpool's _prepare_input).</summary>
    public float[,] PrepareInput(TimeSeries? tsInput, long steps)
    {
        var values = new float[steps, SizeIn];
        if (tsInput is null || steps == 0) return values;
        switch (tsInput)
        {
            case TSContinuous continuous:
            {
                if (continuous.NumChannels != SizeIn)
                    throw new SnnArgumentException(ErrorCode.InvalidArgument,
                        $"{FullName} takes {SizeIn} input channels but `{continuous.Name}` has {continuous.NumChannels}; pass a series of shape [time, {SizeIn}].");
                // Grid point k is k dt. With sample-and-hold, a sample that lies within 1e-9 dt after a grid point
                // (the rounding of i dt + t0 against k dt) counts as at that point, as its exact time would.
                var nudge = continuous.InterpKind == "previous" ? 1e-9 * Dt : 0;
                var times = new double[steps];
                for (var i = 0; i < steps; i++) times[i] = (Timestep + i) * Dt + nudge;
                var sampled = continuous.Sample(times);
                for (var i = 0; i < steps; i++)
                {
                    for (var c = 0; c < SizeIn; c++) values[i, c] = (float)sampled[i, c];
                }
                break;
            }
            case TSEvent events:
            {
                if (events.NumChannels > SizeIn)
                    throw new SnnArgumentException(ErrorCode.InvalidArgument,
                        $"{FullName} takes {SizeIn} input channels but `{events.Name}` has {events.NumChannels}; clip or remap its channels first.");
                var channels = Enumerable.Range(0, (int)SizeIn).ToArray();
                var raster = events.Raster(Dt, T, numTimesteps: steps, channels: channels, addEvents: AddEvents);
                if (raster is int[,] counts)
                {
                    for (var i = 0; i < steps; i++) for (var c = 0; c < SizeIn; c++) values[i, c] = counts[i, c];
                }
                else
                {
                    var hits = (bool[,])raster;
                    for (var i = 0; i < steps; i++) for (var c = 0; c < SizeIn; c++) values[i, c] = hits[i, c] ? 1f : 0f;
                }
                break;
            }
            default:
                throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{FullName}: unsupported time series type {tsInput.GetType().Name}.");
        }
        return values;
    }

    /// <summary>Runs the layer over <paramref name="input"/> [steps, size_in]; returns the output [steps, size_out]
    /// and the recordings wrapped as time series.</summary>
    private (float[,] Output, Dictionary<string, object> Record) EvolveSteps(float[,] input, long steps, bool record)
    {
        var recorded = new Dictionary<string, object>();
        var output = new float[steps, SizeOut];
        if (steps == 0) return (output, recorded);
        if (Layer is null)
            throw new SnnException(ErrorCode.Internal, $"{FullName} has no layer; a composite module must override EvolveCore.");
        Layer.Record(record ? [.. Layer.Recordable] : []);
        long[] shape = [steps, 1, .. Layer.InputShape];
        using var tensor = Tensor.FromArray(input, shape, Layer.Device);
        using (var signal = Layer.Forward(tensor))
        {
            var values = signal.Values;
            if (values.ElementCount != steps * SizeOut)
                throw new SnnException(ErrorCode.Internal,
                    $"{FullName}: the layer returned [{string.Join(", ", values.Shape)}] for {steps} steps of batch 1; expected {steps} x {SizeOut} values.");
            values.CopyTo<float>(ArraySpan(output));
        }
        if (record)
        {
            foreach (var (key, tensor2) in Layer.Recorded)
            {
                var count = tensor2.ElementCount / Math.Max(steps, 1);
                var data = new float[steps, count];
                tensor2.CopyTo<float>(ArraySpan(data));
                recorded[key] = TSContinuous.FromClocked(data, Dt, T, name: $"{key} '{Name}'");
            }
            Layer.Record();
        }
        return (output, recorded);
    }

    private TimeSeries WrapOutput(float[,] output, long steps, double t0)
    {
        if (SpikingOutput)
            return TSEvent.FromRaster(output, Dt, t0, name: Name.Length > 0 ? $"Output events '{Name}'" : "Output events", numChannels: SizeOut);
        if (steps == 0)
            return new TSContinuous(Array.Empty<double>(), new double[0, SizeOut], tStart: t0, tStop: t0,
                name: Name.Length > 0 ? $"Output samples '{Name}'" : "Output samples");
        return TSContinuous.FromClocked(output, Dt, t0, name: Name.Length > 0 ? $"Output samples '{Name}'" : "Output samples");
    }

    /// <summary>Sub-modules by name (none for a module wrapping one layer).</summary>
    public virtual Dictionary<string, TimedModule> Modules() => [];

    /// <summary>
    /// The layer's parameters (copies, shaped as the layer keeps them) whose name or family matches
    /// <paramref name="family"/> (all when null), plus a nested dictionary per sub-module that has any. Families:
    /// "weights" (names containing "weight"), "biases" ("bias"), "taus" ("tau"), "thresholds" ("thresh"), "decays"
    /// ("decay", "alpha", "beta", "gamma"); every name is also its own family.
    /// </summary>
    public Dictionary<string, object> Parameters(string? family = null) =>
        Collect(m => m.LayerParameters.Select(p => (p.Key, (object)Strip(p.Value, batch: false))), family, (m, f) => m.Parameters(f));

    /// <summary>The layer's state (copies, without the batch axis of 1), filtered and nested like <see cref="Parameters"/>;
    /// empty while the layer is at rest.</summary>
    public Dictionary<string, object> State(string? family = null) =>
        Collect(m => m.LayerState.Select(p => (p.Key, (object)Strip(p.Value, batch: true))), family, (m, f) => m.State(f));

    /// <summary>Simulation parameters: "dt" (seconds), filtered and nested like <see cref="Parameters"/>.</summary>
    public Dictionary<string, object> SimulationParameters(string? family = null) =>
        Collect(m => [("dt", (object)m.Dt)], family, (m, f) => m.SimulationParameters(f));

    /// <summary>Every parameter, state or simulation parameter called <paramref name="name"/>, in this module and
    /// (nested) its sub-modules.</summary>
    public Dictionary<string, object> AttributesNamed(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var result = new Dictionary<string, object>();
        foreach (var source in new[] { Parameters(), State(), SimulationParameters() })
        {
            if (source.TryGetValue(name, out var v) && v is not Dictionary<string, object>) result[name] = v;
        }
        foreach (var (key, module) in Modules())
        {
            var inner = module.AttributesNamed(name);
            if (inner.Count > 0) result[key] = inner;
        }
        return result;
    }

    /// <summary>
    /// Sets parameters, state and simulation parameters from a (nested) dictionary as returned by
    /// <see cref="Parameters"/>, <see cref="State"/>, <see cref="SimulationParameters"/> or <see cref="Evolve"/>'s new state;
    /// a nested dictionary goes to the sub-module of that name. Returns this module.
    /// </summary>
    public TimedModule SetAttributes(IReadOnlyDictionary<string, object> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        foreach (var (key, value) in attributes) SetAttribute(key, value);
        return this;
    }

    /// <summary>
    /// Sets one attribute: a parameter (copied into the layer's tensor; same number of elements), a state variable (a
    /// batch axis of 1 is added), or "dt". A dotted name ("sub.weight") or a dictionary value addresses a sub-module.
    /// </summary>
    public TimedModule SetAttribute(string name, object? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var modules = Modules();
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && modules.TryGetValue(name[..dot], out var child))
        {
            child.SetAttribute(name[(dot + 1)..], value);
            return this;
        }
        if (modules.TryGetValue(name, out child))
        {
            switch (value)
            {
                case IReadOnlyDictionary<string, object> d: child.SetAttributes(d); return this;
                default:
                    throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{FullName}: `{name}` is a sub-module; pass a dictionary of its attributes.");
            }
        }
        if (value is IReadOnlyDictionary<string, object>)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{FullName} has no sub-module `{name}`; sub-modules: {Join(modules.Keys)}.");
        if (name == "dt")
        {
            Dt = value switch
            {
                double d => d,
                float f => f,
                IConvertible c => c.ToDouble(System.Globalization.CultureInfo.InvariantCulture),
                _ => throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{FullName}: dt must be a number."),
            };
            return this;
        }
        var data = ToFloats(name, value);
        if (Layer is null)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{FullName} has no attribute `{name}`; its attributes are dt and those of its sub-modules ({Join(modules.Keys)}).");
        if (Layer.Parameters.TryGetValue(name, out var parameter))
        {
            if (parameter.ElementCount != data.Length)
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{FullName}: parameter `{name}` has {parameter.ElementCount} elements [{string.Join(", ", parameter.Shape)}], got {data.Length}; pass an array of that shape.");
            // float64 parameters (per-neuron time constants and potentials) take the values unrounded
            if (parameter.DType == DType.Float64)
                parameter.CopyFrom<double>(value is Array values ? ArrayData.Doubles(values, $"{FullName}: `{name}`")
                    : [((IConvertible)value!).ToDouble(System.Globalization.CultureInfo.InvariantCulture)]);
            else parameter.CopyFrom<float>(data);
            return this;
        }
        // Not a parameter: a state variable, with a batch axis of 1 in front of the value's shape.
        long[] shape = value is Array a ? [1, .. Enumerable.Range(0, a.Rank).Select(r => (long)a.GetLength(r))] : [1, 1];
        if (Layer.State.TryGetValue(name, out var current) && current.ElementCount == data.Length) shape = current.Shape;
        try
        {
            using var tensor = Tensor.FromArray(data, shape, Layer.Device);
            Layer.SetState(name, tensor);
        }
        catch (SnnArgumentException e)
        {
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{FullName}: `{name}` is neither a parameter ({Join(Layer.Parameters.Keys)}), a state variable the layer accepts, nor dt: {e.Message}");
        }
        return this;
    }

    /// <summary>Puts the layer's state back to rest (the clock is kept).</summary>
    public virtual void ResetState()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Layer?.ResetState();
        foreach (var m in Modules().Values) m.ResetState();
    }

    /// <summary>Sets the clock back to 0 (here and in sub-modules).</summary>
    public void ResetTime()
    {
        Timestep = 0;
        foreach (var m in Modules().Values) m.ResetTime();
    }

    /// <summary><see cref="ResetState"/> and <see cref="ResetTime"/>.</summary>
    public void ResetAll()
    {
        ResetState();
        ResetTime();
    }

    /// <summary>Puts every parameter back to the value it had when this module was created. Returns this module.</summary>
    public TimedModule ResetParameters()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var (key, tensor) in LayerParameters)
        {
            if (_initialParameters.TryGetValue(key, out var initial) && initial.Length == tensor.ElementCount) tensor.CopyFrom(initial);
        }
        foreach (var m in Modules().Values) m.ResetParameters();
        return this;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{FullName} with shape ({SizeIn}, {SizeOut}), dt = {Dt} s, t = {T} s";

    /// <summary>Disposes the layer when the module owns it.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the module owns.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing && _ownsLayer) Layer?.Dispose();
    }

    /// <summary>The family a parameter name belongs to (see <see cref="Parameters"/>).</summary>
    public static string FamilyOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var n = name.ToLowerInvariant();
        if (n.Contains("weight", StringComparison.Ordinal)) return "weights";
        if (n.Contains("bias", StringComparison.Ordinal)) return "biases";
        if (n.Contains("tau", StringComparison.Ordinal)) return "taus";
        if (n.Contains("thresh", StringComparison.Ordinal)) return "thresholds";
        if (n.Contains("decay", StringComparison.Ordinal) || n is "alpha" or "beta" or "gamma") return "decays";
        return name;
    }

    private Dictionary<string, object> Collect(Func<TimedModule, IEnumerable<(string Key, object Value)>> own, string? family,
        Func<TimedModule, string?, Dictionary<string, object>> recurse)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = new Dictionary<string, object>();
        foreach (var (key, value) in own(this))
        {
            if (family is null || family == key || family == FamilyOf(key)) result[key] = value;
        }
        foreach (var (key, module) in Modules())
        {
            var inner = recurse(module, family);
            if (inner.Count > 0) result[key] = inner;
        }
        return result;
    }

    private static Array Strip(Tensor tensor, bool batch)
    {
        var shape = tensor.Shape;
        if (batch && shape.Length > 1 && shape[0] == 1) shape = shape[1..];
        if (tensor.DType != DType.Float32)
        {
            var values = tensor.ToArray();
            if (shape.Length == values.Rank) return values;
            using var view = tensor.Reshape(shape);
            return view.ToArray();
        }
        var data = Flat(tensor);
        if (shape.Length == 1) return data;
        var result = Array.CreateInstance(typeof(float), shape);
        Buffer.BlockCopy(data, 0, result, 0, data.Length * sizeof(float));
        return result;
    }

    private static float[] Flat(Tensor tensor)
    {
        var data = new float[tensor.ElementCount];
        tensor.CopyTo<float>(data);
        return data;
    }

    private float[] ToFloats(string name, object? value)
    {
        switch (value)
        {
            case null:
                throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{FullName}: `{name}` cannot be set to null.");
            case Array a:
            {
                var d = ArrayData.Doubles(a, $"{FullName}: `{name}`");
                var f = new float[d.Length];
                for (var i = 0; i < d.Length; i++) f[i] = (float)d[i];
                return f;
            }
            case IConvertible c when value is not string:
                return [(float)c.ToDouble(System.Globalization.CultureInfo.InvariantCulture)];
            default:
                throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{FullName}: `{name}` needs a number or an array, got {value.GetType().Name}.");
        }
    }

    private static Span<float> ArraySpan(float[,] a) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.CompilerServices.Unsafe.As<byte, float>(
            ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(a)), a.Length);

    private static string Join(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}
