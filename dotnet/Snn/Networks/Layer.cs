namespace Snn.Networks;

/// <summary>
/// A clock-driven stage of a network: it maps a [T, B, ...<see cref="InputShape"/>] signal to a
/// [T, B, ...<see cref="OutputShape"/>] signal in one call, running all T steps natively, and keeps its state
/// (membranes, traces, delay lines) from one call to the next so a long input can be fed in pieces (streaming);
/// <see cref="ResetState"/> starts over. Connections (Linear, Conv2d, pooling), neuron populations and helpers
/// all derive from it, which is what lets networks compose them, record
/// them and save them to one file.
/// </summary>
public abstract class Layer : IDisposable
{
    private static readonly IReadOnlyDictionary<string, Tensor> Empty = new Dictionary<string, Tensor>();
    private readonly long[] _inputShape, _outputShape;
    private readonly HashSet<string> _recording = [];
    private readonly Dictionary<string, Tensor> _recorded = [];
    private bool _disposed;

    /// <summary>Sets the per-sample shapes (without T and B), the device and the name (the type name when null).</summary>
    protected Layer(long[] inputShape, long[] outputShape, Device? device, string? name)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(outputShape);
        foreach (var (shape, which) in new[] { (inputShape, "input"), (outputShape, "output") })
        {
            if (shape.Any(d => d <= 0))
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{GetType().Name}: the {which} shape [{string.Join(", ", shape)}] has a dimension <= 0; every dimension must be at least 1.");
        }
        _inputShape = (long[])inputShape.Clone();
        _outputShape = (long[])outputShape.Clone();
        Device = device ?? Device.Default;
        Name = name ?? TypeName;
    }

    /// <summary>The layer's name in networks, records and files.</summary>
    public string Name { get; set; }

    /// <summary>The name of the layer's type in saved files: the <see cref="LayerTypeAttribute"/> of its class or of the
    /// nearest base class that has one (a seed facade's class saves as the core type it configures), else the class name.</summary>
    public string TypeName
    {
        get
        {
            for (var type = GetType(); type is not null && type != typeof(Layer); type = type.BaseType)
            {
                if (Attribute.GetCustomAttribute(type, typeof(LayerTypeAttribute), inherit: false) is LayerTypeAttribute a) return a.TypeName;
            }
            return GetType().Name;
        }
    }

    /// <summary>Shape of one sample of one step of the input (without T and B), e.g. [C, H, W] or [N].</summary>
    public long[] InputShape => (long[])_inputShape.Clone();

    /// <summary>Shape of one sample of one step of the output (without T and B).</summary>
    public long[] OutputShape => (long[])_outputShape.Clone();

    /// <summary>The device holding the parameters and state; inputs must be on it.</summary>
    public Device Device { get; }

    /// <summary>True once disposed.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>
    /// Runs every step of <paramref name="input"/> [T, B, ...<see cref="InputShape"/>] and returns the output signal,
    /// which the caller owns. State continues from the previous call (or from rest after <see cref="ResetState"/>);
    /// a call with another batch size than the state's resets the state first. Variables named in
    /// <see cref="Recording"/> are available in <see cref="Recorded"/> afterwards.
    /// </summary>
    public Signal Forward(Signal input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequireInputShape(input.Values);
        ClearRecorded();
        return ForwardCore(input);
    }

    /// <summary>
    /// <see cref="Forward(Signal)"/> on <paramref name="values"/> and an optional presynaptic <paramref name="trace"/>;
    /// both stay owned by the caller (numpy arrays from Python are borrowed for the call).
    /// </summary>
    public Signal Forward(Tensor values, Tensor? trace = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequireInputShape(values);
        if (trace is not null && !trace.Shape.SequenceEqual(values.Shape))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Name}: trace [{string.Join(", ", trace.Shape)}] must have the shape of the input [{string.Join(", ", values.Shape)}].");
        ClearRecorded();
        return ForwardCore(new Signal(values, trace, owns: false));
    }

    /// <summary>Whether the layer expects spikes (0/1 per step) at its input rather than currents or other analogue
    /// values: Rockpool's <c>spiking_input</c>, which <see cref="Timed.TimedModule"/> takes by default.</summary>
    public virtual bool SpikingInput => false;

    /// <summary>Whether the layer's output values are spikes: Rockpool's <c>spiking_output</c>.</summary>
    public virtual bool SpikingOutput => false;

    /// <summary>Puts every state variable back to rest (zeros, empty delay lines); parameters are kept.</summary>
    public abstract void ResetState();

    /// <summary>The layer's parameters by name (weights, biases, per-neuron constants). These are the layer's own tensors:
    /// writing into them changes the layer. Empty for layers without parameters.</summary>
    public virtual IReadOnlyDictionary<string, Tensor> Parameters => Empty;

    /// <summary>The state carried between calls by name, each [B, ...]; empty at rest (before the first call or after
    /// <see cref="ResetState"/>).</summary>
    public virtual IReadOnlyDictionary<string, Tensor> State => Empty;

    /// <summary>Replaces the state variable <paramref name="name"/> with a copy of <paramref name="value"/> (used when
    /// a saved network is loaded, and to start from a chosen state).</summary>
    public void SetState(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        ObjectDisposedException.ThrowIf(_disposed, this);
        SetStateCore(name, value);
    }

    /// <summary>Implements <see cref="SetState"/>; the default rejects every name because the layer has no state.</summary>
    protected virtual void SetStateCore(string name, Tensor value) =>
        throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{Name} ({TypeName}) has no state variable \"{name}\"; it keeps no state.");

    /// <summary>The variables this layer can record over time, e.g. "spikes", "membrane", "trace".</summary>
    public virtual IReadOnlyList<string> Recordable => [];

    /// <summary>The variables recorded by the following calls.</summary>
    public virtual IReadOnlyCollection<string> Recording => _recording;

    /// <summary>Records <paramref name="variables"/> (each one of <see cref="Recordable"/>) from now on, instead of
    /// what was recorded before; no argument stops recording. Memory is spent only on what is recorded.</summary>
    public virtual void Record(params string[] variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        foreach (var v in variables)
        {
            if (!Recordable.Contains(v))
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{Name} ({TypeName}) cannot record \"{v}\"; it records {(Recordable.Count == 0 ? "nothing" : string.Join(", ", Recordable))}.");
        }
        _recording.Clear();
        _recording.UnionWith(variables);
    }

    /// <summary>What the last call recorded, each [T, B, ...]; owned by the layer and replaced by the next call.</summary>
    public virtual IReadOnlyDictionary<string, Tensor> Recorded => _recorded;

    /// <summary>Writes this layer (architecture, parameters and state) to one file that C# and Python both read;
    /// <see cref="Load"/> rebuilds it. The format is described in docs/networks.md.</summary>
    public void Save(string path)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        NetworkFile.Save(this, path);
    }

    /// <summary>Rebuilds a layer or network saved by <see cref="Save"/>, with its parameters and state, on
    /// <paramref name="device"/> (the default CPU when null).</summary>
    public static Layer Load(string path, Device? device = null) => NetworkFile.Load(path, device ?? Device.Default);

    /// <summary>
    /// A copy of this layer (architecture, parameters and state) on <paramref name="device"/>, which the caller owns;
    /// this layer is left as it is. It is rebuilt from <see cref="Config"/> like a loaded file, so every layer type
    /// that can be saved can be moved.
    /// </summary>
    public Layer To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var copy = LayerRegistry.Create(Describe(), device);
        try
        {
            var parameters = copy.Parameters;
            foreach (var (name, tensor) in Parameters)
            {
                if (!parameters.TryGetValue(name, out var target))
                    throw new SnnException(ErrorCode.Internal, $"{Name} ({TypeName}): the rebuilt layer has no parameter \"{name}\"; its FromConfig does not match its Config.");
                target.CopyFrom(tensor);
            }
            foreach (var (name, tensor) in State.ToArray()) copy.SetState(name, tensor);
            copy.Record([.. Recording]);
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>The constructor arguments that rebuild this layer (see <see cref="LayerTypeAttribute"/>).</summary>
    public abstract LayerConfig Config { get; }

    /// <summary><see cref="Config"/> with this layer's <see cref="Name"/>: what networks and files store.</summary>
    internal LayerConfig Describe()
    {
        var config = Config;
        config.Name = Name;
        return config;
    }

    /// <summary>The name a parameter or state variable saved as <paramref name="savedName"/> has now: a layer type
    /// that renamed its tensors maps a file's former names here, so files written before still load.</summary>
    internal virtual string CurrentName(string savedName) => savedName;

    /// <summary>Runs the steps; <paramref name="input"/>'s shape has been checked.</summary>
    protected abstract Signal ForwardCore(Signal input);

    /// <summary>True when the current call should record <paramref name="variable"/>.</summary>
    protected bool IsRecording(string variable) => _recording.Contains(variable);

    /// <summary>Hands a recorded [T, B, ...] tensor to the layer (it disposes it when replaced).</summary>
    protected void SetRecorded(string variable, Tensor values)
    {
        if (_recorded.Remove(variable, out var old)) old.Dispose();
        _recorded[variable] = values;
    }

    /// <summary>Throws a message naming this layer when <paramref name="values"/> is not [T, B, ...InputShape].</summary>
    protected void RequireInputShape(Tensor values)
    {
        var shape = values.Shape;
        if (values.DType != DType.Float32 || shape.Length != _inputShape.Length + 2 || !shape.AsSpan(2).SequenceEqual(_inputShape))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Name} ({TypeName}) takes float32 [time, batch, {string.Join(", ", _inputShape)}], got {values.DType.ToString().ToLowerInvariant()} [{string.Join(", ", shape)}].");
        if (values.Device != Device)
            throw new DeviceMismatchException($"{Name} ({TypeName}) lives on {Device} but the input is on {values.Device}; move it with Tensor.To.");
    }

    /// <summary>Releases the layer's own tensors (parameters, state, buffers); called once by <see cref="Dispose"/>.</summary>
    protected abstract void DisposeCore();

    /// <summary>Releases parameters, state and recordings.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ClearRecorded();
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    private void ClearRecorded()
    {
        foreach (var t in _recorded.Values) t.Dispose();
        _recorded.Clear();
    }
}
