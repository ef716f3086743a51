using System.Collections;
using System.Runtime.InteropServices;
using Snn.Interop;
using Snn.Native;

namespace Snn.EventDriven;

/// <summary>
/// A feed-forward network of fully connected current-based LIF layers, simulated exactly, spike by
/// spike, with no time step (EvSpikeSim's SpikingNetwork). Layers run in sequence: the output spikes
/// of one are the input of the next. <see cref="InferBatch"/> runs many samples in one call, in
/// parallel, with results identical to one call per sample. The model and the differences from
/// EvSpikeSim are in docs/event-driven.md.
/// </summary>
public unsafe class SpikingNetwork : IReadOnlyList<FcLayer>, IDisposable
{
    /// <summary>Where layers with custom callbacks are compiled by default (EvSpikeSim's default is /tmp/evspikesim).</summary>
    public const string DefaultCompilePath = "/tmp/snn-evspikesim";

    private readonly EventNetworkHandle _handle;
    private readonly List<FcLayer> _layers = [];
    private readonly Dictionary<(int Layer, int Sample), SpikeArray> _spikes = [];
    private readonly object _gate = new();
    private int _batchSize;

    /// <summary>The <c>compat</c> value that reproduces EvSpikeSim 0.5.0 bit for bit.</summary>
    public const string EvSpikeSimCompat = "evspikesim";

    /// <summary>An empty network computing on <paramref name="device"/> (the default CPU when null), which
    /// also sets the thread count (<see cref="Device.Cpu"/>). By default the simulation is exact: every
    /// layer's spikes match a float64 run of the model within 1e-5 s. <paramref name="compat"/> =
    /// <see cref="EvSpikeSimCompat"/> ("evspikesim") computes in EvSpikeSim's float32 arithmetic instead,
    /// bit-identical to EvSpikeSim including the crossings it misses (docs/event-driven.md).</summary>
    /// <exception cref="NotSupportedException">The device is not a CPU.</exception>
    /// <exception cref="SnnArgumentException"><paramref name="compat"/> is neither null nor "evspikesim".</exception>
    public SpikingNetwork(string compilePath = DefaultCompilePath, Device? device = null, string? compat = null)
    {
        ArgumentNullException.ThrowIfNull(compilePath);
        var solver = compat switch
        {
            null => snn_event_solver.SNN_EVENT_SOLVER_EXACT,
            EvSpikeSimCompat => snn_event_solver.SNN_EVENT_SOLVER_FLOAT32,
            _ => throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"compat must be null (exact simulation) or \"{EvSpikeSimCompat}\" (EvSpikeSim's float32 arithmetic), got \"{compat}\"; pass compat: \"{EvSpikeSimCompat}\" to reproduce EvSpikeSim or leave it out"),
        };
        device ??= Device.Default;
        snn_event_network* network;
        NativeCall.Check(Methods.snn_event_network_create_with_solver(device.Pointer, (int)solver, &network));
        GC.KeepAlive(device);
        _handle = new EventNetworkHandle(network);
        CompilePath = compilePath;
        Device = device;
        Compat = compat;
    }

    /// <summary>"evspikesim" when the network reproduces EvSpikeSim's float32 arithmetic, null when it is exact.</summary>
    public string? Compat { get; }

    /// <summary>Where <see cref="AddFcLayerFromSource"/> compiles and caches callback libraries.</summary>
    public string CompilePath { get; }

    /// <summary>The device the network computes on.</summary>
    public Device Device { get; }

    /// <summary>Number of layers.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _layers.Count;
        }
    }

    /// <summary>Samples of the last inference: 1 after <see cref="Infer(SpikeArray)"/>, the batch size after
    /// <see cref="InferBatch"/>, 0 before any inference and after a layer was added.</summary>
    public int BatchSize
    {
        get
        {
            lock (_gate) return _batchSize;
        }
    }

    /// <summary>Whether <see cref="Dispose"/> has released the native network.</summary>
    public bool IsDisposed => _handle.IsClosed;

    /// <summary>The layer at <paramref name="index"/> (0 is the first).</summary>
    public FcLayer this[int index]
    {
        get
        {
            lock (_gate)
            {
                if ((uint)index >= (uint)_layers.Count)
                    throw new ArgumentOutOfRangeException(nameof(index), index, $"the network has {_layers.Count} layers; pass an index in [0, {_layers.Count}).");
                return _layers[index];
            }
        }
    }

    /// <summary>The last layer, whose spikes <see cref="Infer(SpikeArray)"/> returns.</summary>
    /// <exception cref="InvalidOperationException">The network has no layer.</exception>
    public FcLayer OutputLayer
    {
        get
        {
            lock (_gate)
                return _layers.Count > 0 ? _layers[^1] : throw NoLayer();
        }
    }

    /// <summary>
    /// Appends a fully connected layer whose weights <paramref name="initializer"/> fills.
    /// <paramref name="nInputs"/> must be the previous layer's <see cref="FcLayer.NNeurons"/>;
    /// <paramref name="tauS"/> is the synaptic time constant in seconds (the membrane's is twice it);
    /// <paramref name="threshold"/> is finite and &gt; 0; <paramref name="bufferSize"/> (&gt;= 1) is the
    /// number of output spikes per neuron reserved up front: the simulator grows its buffers on demand,
    /// so it never loses a spike and results never depend on it.
    /// </summary>
    public FcLayer AddFcLayer(int nInputs, int nNeurons, float tauS, float threshold, Initializer initializer, int bufferSize = 64) =>
        AddLayer(nInputs, nNeurons, tauS, threshold, initializer, bufferSize, sourcePath: null);

    /// <summary>
    /// Appends a fully connected layer whose neurons also run the custom callbacks of the C++ source at
    /// <paramref name="srcPath"/> (EvSpikeSim's add_fc_layer_from_source): it implements
    /// &lt;snn/event_callbacks.h&gt; (trace time constants, on_pre_neuron, on_pre_synapse, on_post_neuron,
    /// on_post_synapse; see examples/event_driven). The source is compiled with the system C++ compiler
    /// (<c>$CXX</c>, else <c>c++</c>; C++17, -O2) into <see cref="CompilePath"/>, cached by the hash of its
    /// content, and loaded. The layer fires exactly like <see cref="AddFcLayer"/>'s; its traces are in
    /// <see cref="FcLayer.SynapticTraces"/> and <see cref="FcLayer.NeuronTraces"/> after each inference.
    /// </summary>
    /// <exception cref="FileNotFoundException">The source does not exist.</exception>
    /// <exception cref="CallbackCompilationException">It does not compile (the message carries the compiler's output).</exception>
    public FcLayer AddFcLayerFromSource(string srcPath, int nInputs, int nNeurons, float tauS, float threshold,
        Initializer initializer, int bufferSize = 64)
    {
        ArgumentNullException.ThrowIfNull(srcPath);
        return AddLayer(nInputs, nNeurons, tauS, threshold, initializer, bufferSize, srcPath);
    }

    private FcLayer AddLayer(int nInputs, int nNeurons, float tauS, float threshold, Initializer initializer, int bufferSize,
        string? sourcePath)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        lock (_gate)
        {
            var handle = Pointer;
            if (nInputs < 1 || nNeurons < 1)
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"a layer needs nInputs >= 1 and nNeurons >= 1, got {nInputs} and {nNeurons}; pass the layer's sizes.");
            if (_layers.Count > 0 && _layers[^1].NNeurons != nInputs)
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"layer {_layers.Count} would have nInputs = {nInputs} but layer {_layers.Count - 1} has {_layers[^1].NNeurons} neurons; " +
                    "a layer's nInputs must be the nNeurons of the layer before it.");
            var library = sourcePath is null ? null : CallbackCompiler.Build(sourcePath, CompilePath);

            var weights = new float[nNeurons, nInputs];
            var pin = GCHandle.Alloc(weights, GCHandleType.Pinned);
            var kept = false;
            try
            {
                using var view = Tensor.WrapHost(pin.AddrOfPinnedObject(), (long)weights.Length * sizeof(float), DType.Float32, [nNeurons, nInputs]);
                initializer.Fill(view);
                var parameters = new snn_event_fc_params
                {
                    n_inputs = nInputs,
                    n_neurons = nNeurons,
                    tau_s = tauS,
                    threshold = threshold,
                    buffer_size = bufferSize,
                };
                long index;
                if (library is null)
                {
                    NativeCall.Check(Methods.snn_event_network_add_fc_layer(handle, &parameters, view.Pointer, &index));
                }
                else
                {
                    var path = System.Text.Encoding.UTF8.GetBytes(library + "\0");
                    fixed (byte* p = path)
                        NativeCall.Check(Methods.snn_event_network_add_fc_layer_from_library(handle, &parameters, view.Pointer, (sbyte*)p, &index));
                }
                _handle.Keep(pin);  // the native layer reads the array from now on
                kept = true;
                int synapticTraces, neuronTraces;
                NativeCall.Check(Methods.snn_event_network_trace_counts(handle, index, &synapticTraces, &neuronTraces));
                var layer = new FcLayer(this, (int)index, nInputs, nNeurons, tauS, threshold, bufferSize, weights,
                    sourcePath is null ? null : Path.GetFullPath(sourcePath), synapticTraces, neuronTraces);
                _layers.Add(layer);
                _spikes.Clear();
                _batchSize = 0;
                return layer;
            }
            finally
            {
                if (!kept) pin.Free();
                GC.KeepAlive(_handle);
            }
        }
    }

    /// <summary>
    /// Runs one sample through every layer and returns the output layer's spikes, sorted by time. The
    /// input must be sorted by time (EvSpikeSim's rule; <see cref="SpikeArray.Sort"/> or
    /// <see cref="Infer(uint[], float[])"/>); indices must be below the first layer's NInputs and
    /// times finite and &gt;= 0.
    /// </summary>
    public SpikeArray Infer(SpikeArray inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return InferBatch([inputs])[0];
    }

    /// <summary>Runs the spikes (indices[i], times[i]), in any order (they are sorted first), through
    /// every layer and returns the output layer's spikes.</summary>
    public SpikeArray Infer(uint[] indices, float[] times)
    {
        var inputs = new SpikeArray(indices, times);
        inputs.Sort();
        return Infer(inputs);
    }

    /// <summary>
    /// Runs every sample through every layer in one call, in parallel across samples and neurons, and
    /// returns each sample's output spikes. The results equal those of one <see cref="Infer(SpikeArray)"/>
    /// per sample. Each layer's spikes per sample are then available through
    /// <see cref="FcLayer.GetPostSpikes"/>.
    /// </summary>
    public IReadOnlyList<SpikeArray> InferBatch(IReadOnlyList<SpikeArray> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var offsets = new long[inputs.Count + 1];
        for (var s = 0; s < inputs.Count; s++)
        {
            var sample = inputs[s] ?? throw new ArgumentNullException(nameof(inputs), $"sample {s} is null; pass a SpikeArray.");
            if (!sample.IsSorted())
                throw new SnnArgumentException(ErrorCode.InvalidArgument, UnsortedMessage(sample, inputs.Count == 1 ? null : s));
            offsets[s + 1] = offsets[s] + sample.Count;
        }
        var indices = new uint[offsets[^1]];
        var times = new float[offsets[^1]];
        for (var s = 0; s < inputs.Count; s++)
        {
            inputs[s].IndexSpan.CopyTo(indices.AsSpan((int)offsets[s]));
            inputs[s].TimeSpan.CopyTo(times.AsSpan((int)offsets[s]));
        }

        lock (_gate)
        {
            if (_layers.Count == 0) throw NoLayer();
            fixed (long* o = offsets)
            fixed (uint* i = indices)
            fixed (float* t = times)
                NativeCall.Check(Methods.snn_event_network_infer(Pointer, inputs.Count, o, i, t));
            GC.KeepAlive(_handle);
            _spikes.Clear();
            _batchSize = inputs.Count;
            var outputs = new SpikeArray[inputs.Count];
            for (var s = 0; s < outputs.Length; s++) outputs[s] = Fetch(_layers.Count - 1, s);
            return outputs;
        }
    }

    /// <summary>Releases the native network; the layers' weight arrays stay readable.</summary>
    public void Dispose() => _handle.Dispose();

    /// <summary>The layers, first to last.</summary>
    public IEnumerator<FcLayer> GetEnumerator()
    {
        FcLayer[] layers;
        lock (_gate) layers = [.. _layers];
        return ((IEnumerable<FcLayer>)layers).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString()
    {
        lock (_gate) return $"SpikingNetwork({_layers.Count} layers: {string.Join(" -> ", _layers.Select(l => l.NNeurons).Prepend(_layers.FirstOrDefault()?.NInputs ?? 0))})";
    }

    // The spikes of `layer` for `sample` (null: the single sample of the last inference).
    internal SpikeArray LayerSpikes(int layer, int? sample)
    {
        lock (_gate)
        {
            _ = Pointer;
            if (SampleOrEmpty(sample) is not { } s) return new SpikeArray();
            if (!_spikes.TryGetValue((layer, s), out var spikes)) spikes = Fetch(layer, s);
            return spikes;
        }
    }

    // How often each neuron of `layer` fired for `sample` (null: the single sample of the last inference).
    internal uint[] NeuronSpikeCounts(int layer, int? sample)
    {
        lock (_gate)
        {
            var handle = Pointer;
            var neurons = _layers[layer].NNeurons;
            var counts = new uint[neurons];
            if (SampleOrEmpty(sample) is not { } s) return counts;
            fixed (uint* c = counts)
                NativeCall.Check(Methods.snn_event_network_neuron_spike_counts(handle, layer, s, c, neurons));
            GC.KeepAlive(_handle);
            return counts;
        }
    }

    // The traces of `layer` for `sample` (null: the single sample of the last inference): synaptic
    // float[n_neurons, n_inputs, n_synaptic] or neuron float[n_neurons, n_neuron]; zeros before any inference.
    internal Array LayerTraces(int layer, int? sample, bool synaptic)
    {
        lock (_gate)
        {
            var handle = Pointer;
            var l = _layers[layer];
            Array traces = synaptic
                ? new float[l.NNeurons, l.NInputs, l.SynapticTraceCount]
                : new float[l.NNeurons, l.NeuronTraceCount];
            if (SampleOrEmpty(sample) is not { } s) return traces;
            fixed (byte* p = &MemoryMarshal.GetArrayDataReference(traces))
                NativeCall.Check(synaptic
                    ? Methods.snn_event_network_synaptic_traces(handle, layer, s, (float*)p, traces.Length)
                    : Methods.snn_event_network_neuron_traces(handle, layer, s, (float*)p, traces.Length));
            GC.KeepAlive(_handle);
            return traces;
        }
    }

    private snn_event_network* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.Pointer;
        }
    }

    // Resolves the sample a layer accessor asks for; null when it should answer "nothing yet".
    private int? SampleOrEmpty(int? sample)
    {
        if (sample is { } s)
        {
            if ((uint)s >= (uint)_batchSize)
                throw new ArgumentOutOfRangeException(nameof(sample), s, _batchSize == 0
                    ? "no inference has run since the network was built or a layer was added; call Infer or InferBatch first."
                    : $"the last inference ran {_batchSize} samples; pass a sample in [0, {_batchSize}).");
            return s;
        }
        if (_batchSize > 1)
            throw new InvalidOperationException(
                $"the last inference ran a batch of {_batchSize} samples; use GetPostSpikes(sample) or GetNSpikes(sample).");
        return _batchSize == 1 ? 0 : null;
    }

    // Copies the spikes of (layer, sample) out of the native network, once per inference.
    private SpikeArray Fetch(int layer, int sample)
    {
        var handle = Pointer;
        long count;
        NativeCall.Check(Methods.snn_event_network_spike_count(handle, layer, sample, &count));
        var indices = new uint[count];
        var times = new float[count];
        fixed (uint* i = indices)
        fixed (float* t = times)
            NativeCall.Check(Methods.snn_event_network_spikes(handle, layer, sample, i, t, count));
        GC.KeepAlive(_handle);
        var spikes = new SpikeArray(indices, times, sorted: true);
        _spikes[(layer, sample)] = spikes;
        return spikes;
    }

    private static string UnsortedMessage(SpikeArray inputs, int? sample)
    {
        var times = inputs.TimeSpan;
        var k = 1;
        while (k < times.Length && times[k] >= times[k - 1]) k++;
        var which = sample is { } s ? $"sample {s}" : "the input";
        return $"Infer needs spikes sorted by time, but in {which} spike {k} at {times[k]} s comes after spike {k - 1} at {times[k - 1]} s; " +
               "call Sort() on the SpikeArray first, or pass indices and times to Infer(indices, times), which sorts them.";
    }

    private static InvalidOperationException NoLayer() =>
        new("the network has no layer; add one with AddFcLayer first.");
}
