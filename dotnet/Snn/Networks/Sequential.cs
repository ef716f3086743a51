using Snn.Connections;

namespace Snn.Networks;

/// <summary>
/// Layers run one after the other over the whole [T, B, ...] sequence: each layer sees every step of the previous
/// layer's output (the fast path: a connection computes all T*B steps with one GEMM or convolution, a neuron layer
/// runs its recurrence per neuron). Shapes are checked when the network is built.
/// </summary>
[LayerType("Sequential")]
public sealed class Sequential : Container
{
    /// <summary>Chains <paramref name="layers"/> (at least one), which the network now owns.</summary>
    public Sequential(params Layer[] layers) : this(layers, null) { }

    /// <summary>Chains <paramref name="layers"/> under <paramref name="name"/>.</summary>
    public Sequential(IReadOnlyList<Layer> layers, string? name)
        : base(Checked(layers), layers[0].InputShape, layers[^1].OutputShape, layers[0].Device, name)
    {
    }

    /// <inheritdoc/>
    public override bool SpikingInput => Layers[0].SpikingInput;

    /// <inheritdoc/>
    public override bool SpikingOutput => Layers[^1].SpikingOutput;

    /// <inheritdoc/>
    public override LayerConfig Config => new LayerConfig(TypeName).Set("layers", Layers.Select(l => l.Describe()));

    /// <summary>Rebuilds the chain from <paramref name="config"/>.</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        var layers = LayerRegistry.CreateAll(config.GetConfigs("layers"), device);
        try
        {
            return new Sequential(layers, null);
        }
        catch
        {
            foreach (var layer in layers) layer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Steps per block when the sequence is run in blocks of time: each block goes through every layer before the
    /// next block starts (state carries over, so the result is that of one pass), which bounds the memory of the
    /// activations on long sequences. Null (default) picks the block so that the widest layer's output of one block
    /// is about 64 MiB; 0 runs the whole sequence through each layer at once. Blocks are used only while nothing is
    /// recorded.
    /// </summary>
    public long? TimeBlock
    {
        get => _timeBlock;
        set
        {
            if (value < 0)
                throw new SnnArgumentException(ErrorCode.InvalidArgument, $"TimeBlock must be >= 0 (0: whole sequence) or null (automatic), got {value}.");
            _timeBlock = value;
        }
    }

    private long? _timeBlock;
    // Large: every block costs each layer a hand-over to the worker threads. On the conv benchmark (docs/benchmarks.md)
    // 80-step blocks (64 MiB) ran in 55 ms against 66 ms for 5-step (4 MiB) blocks, which kept activations in cache
    // but paid 16 times the hand-overs; reused output blocks (docs/c-abi.md) took away most of the cost of size.
    private const long BlockBytes = 64L << 20;

    /// <inheritdoc/>
    protected override Signal ForwardCore(Signal input)
    {
        var block = StepsPerBlock(input);
        if (block <= 0 || block >= input.Steps) return RunChain(input);
        Tensor? values = null, trace = null;
        try
        {
            for (long t0 = 0; t0 < input.Steps; t0 += block)
            {
                var steps = Math.Min(block, input.Steps - t0);
                using var xs = input.Values.Slice(t0, steps);
                using var ts = input.Trace?.Slice(t0, steps);
                using var part = RunChain(new Signal(xs, ts, owns: false));
                values ??= Tensor.Empty([input.Steps, .. part.Values.Shape[1..]], DType.Float32, Device); // every block fills its steps
                using (var slot = values.Slice(t0, steps)) slot.CopyFrom(part.Values);
                if (part.Trace is { } tr)
                {
                    trace ??= Tensor.Zeros([input.Steps, .. tr.Shape[1..]], DType.Float32, Device);
                    using var slot = trace.Slice(t0, steps);
                    slot.CopyFrom(tr);
                }
            }
            var result = new Signal(values!, trace);
            values = trace = null;
            return result;
        }
        finally
        {
            values?.Dispose();
            trace?.Dispose();
        }
    }

    /// <summary>Steps per block for <paramref name="input"/>, or 0 for the whole sequence at once.</summary>
    private long StepsPerBlock(Signal input)
    {
        if (Recording.Count > 0 || Layers.Any(l => l.Recording.Count > 0) || _timeBlock == 0) return 0;
        if (_timeBlock is { } fixedBlock) return fixedBlock;
        var widest = Layers.Max(l => Tensor.ElementCountOf(l.OutputShape));
        var perStep = Math.Max(1, input.BatchSize * widest * sizeof(float));
        return Math.Max(1, BlockBytes / perStep);
    }

    /// <summary>
    /// Whether a convolution, the IF/LIF population after it and a max pooling after that run as one native call on
    /// the CPU (default true): the same result bit for bit, in about half the time on the conv benchmark
    /// (docs/benchmarks.md), because each sample's steps then stay in cache. Chains with anything recorded, a delay,
    /// or neurons with options beyond plain IF/LIF always run layer by layer. Not saved: a runtime choice.
    /// </summary>
    public bool Fuse { get; set; } = true;

    private Signal RunChain(Signal input)
    {
        var current = input;
        var layers = Layers;
        try
        {
            for (var i = 0; i < layers.Count;)
            {
                var fused = Fuse && Recording.Count == 0 ? ConvNeuronPool.Span(layers, i, current.BatchSize) : 0;
                var next = fused > 0 ? ConvNeuronPool.Forward(layers, i, fused, current) : layers[i].Forward(current);
                if (!ReferenceEquals(current, input)) current.Dispose();
                current = next;
                if (fused == 0) RecordOutput(layers[i], current);
                i += Math.Max(fused, 1);
            }
            return current;
        }
        catch
        {
            if (!ReferenceEquals(current, input)) current.Dispose();
            throw;
        }
    }

    private static IReadOnlyList<Layer> Checked(IReadOnlyList<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, "a Sequential network needs at least one layer.");
        RequireChildren(layers, layers[0].Device);
        for (var i = 1; i < layers.Count; i++)
        {
            var (a, b) = (layers[i - 1], layers[i]);
            if (!a.OutputShape.SequenceEqual(b.InputShape))
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"layer {i - 1} ({a.Name}) outputs [{string.Join(", ", a.OutputShape)}] per sample but layer {i} ({b.Name}) takes [{string.Join(", ", b.InputShape)}]; insert a Flatten or fix the sizes.");
        }
        return layers;
    }
}
