
namespace Snn.EventDriven;

/// <summary>
/// A fully connected layer of current-based LIF neurons in a <see cref="SpikingNetwork"/> (EvSpikeSim's
/// FCLayer). Its <see cref="Weights"/> array is the memory the simulator reads, so writing its elements
/// (also through the numpy view Python gets) changes the next inference.
/// </summary>
public sealed class FcLayer
{
    private readonly SpikingNetwork _network;
    private readonly float[,] _weights;

    internal FcLayer(SpikingNetwork network, int index, int nInputs, int nNeurons, float tauS, float threshold,
        int bufferSize, float[,] weights, string? sourcePath, int synapticTraceCount, int neuronTraceCount)
    {
        SourcePath = sourcePath;
        SynapticTraceCount = synapticTraceCount;
        NeuronTraceCount = neuronTraceCount;
        _network = network;
        _weights = weights;
        Index = index;
        NInputs = nInputs;
        NNeurons = nNeurons;
        TauS = tauS;
        Threshold = threshold;
        BufferSize = bufferSize;
    }

    /// <summary>Position of the layer in its network (0 is the first).</summary>
    public int Index { get; }

    /// <summary>Inputs of every neuron (the previous layer's neurons, or the network's inputs).</summary>
    [PythonName("n_inputs")]
    public int NInputs { get; }

    /// <summary>Neurons of the layer.</summary>
    [PythonName("n_neurons")]
    public int NNeurons { get; }

    /// <summary>Synaptic time constant in seconds.</summary>
    public float TauS { get; }

    /// <summary>Membrane time constant in seconds: 2 * <see cref="TauS"/>.</summary>
    public float Tau => 2f * TauS;

    /// <summary>Firing threshold.</summary>
    public float Threshold { get; }

    /// <summary>Output spikes per neuron the layer reserves room for; more are never lost (the buffer grows).</summary>
    public int BufferSize { get; }

    /// <summary>
    /// The weights [NNeurons, NInputs]: weight [i, j] connects input j to neuron i. The getter returns
    /// the live array the simulator reads (not a copy); the setter copies a same-shaped array into it.
    /// </summary>
    public float[,] Weights
    {
        get => _weights;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.GetLength(0) != NNeurons || value.GetLength(1) != NInputs)
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"layer {Index} needs weights [n_neurons, n_inputs] = [{NNeurons}, {NInputs}], got [{value.GetLength(0)}, {value.GetLength(1)}]; pass an array of that shape.");
            Array.Copy(value, _weights, value.Length);
        }
    }

    /// <summary>
    /// The layer's output spikes of the last inference, sorted by time (empty before any). After a batch
    /// of several samples use <see cref="GetPostSpikes"/>.
    /// </summary>
    public SpikeArray PostSpikes => _network.LayerSpikes(Index, sample: null);

    /// <summary>Spikes fired by each neuron in the last inference (zeros before any). After a batch of
    /// several samples use <see cref="GetNSpikes"/>.</summary>
    [PythonName("n_spikes")]
    public uint[] NSpikes => _network.NeuronSpikeCounts(Index, sample: null);

    /// <summary>The layer's output spikes for <paramref name="sample"/> of the last (batched) inference.</summary>
    public SpikeArray GetPostSpikes(int sample) => _network.LayerSpikes(Index, sample);

    /// <summary>Spikes fired by each neuron for <paramref name="sample"/> of the last (batched) inference.</summary>
    [PythonName("get_n_spikes")]
    public uint[] GetNSpikes(int sample) => _network.NeuronSpikeCounts(Index, sample);

    /// <summary>The callback source of a layer made by <see cref="SpikingNetwork.AddFcLayerFromSource"/>, else null.</summary>
    public string? SourcePath { get; }

    /// <summary>Synaptic traces per synapse (0 for layers without callbacks).</summary>
    public int SynapticTraceCount { get; }

    /// <summary>Neuron traces per neuron (0 for layers without callbacks).</summary>
    public int NeuronTraceCount { get; }

    /// <summary>The synaptic traces [NNeurons, NInputs, SynapticTraceCount] at the end of the last
    /// inference, each neuron's at its last event (zeros before any). After a batch use <see cref="GetSynapticTraces"/>.</summary>
    public float[,,] SynapticTraces => (float[,,])_network.LayerTraces(Index, sample: null, synaptic: true);

    /// <summary>The neuron traces [NNeurons, NeuronTraceCount] at the end of the last inference (zeros before any).
    /// After a batch use <see cref="GetNeuronTraces"/>.</summary>
    public float[,] NeuronTraces => (float[,])_network.LayerTraces(Index, sample: null, synaptic: false);

    /// <summary>The synaptic traces at the end of <paramref name="sample"/> of the last (batched) inference.</summary>
    public float[,,] GetSynapticTraces(int sample) => (float[,,])_network.LayerTraces(Index, sample, synaptic: true);

    /// <summary>The neuron traces at the end of <paramref name="sample"/> of the last (batched) inference.</summary>
    public float[,] GetNeuronTraces(int sample) => (float[,])_network.LayerTraces(Index, sample, synaptic: false);

    /// <inheritdoc/>
    public override string ToString() =>
        $"FcLayer(n_inputs={NInputs}, n_neurons={NNeurons}, tau_s={TauS}, threshold={Threshold}, buffer_size={BufferSize})";
}
