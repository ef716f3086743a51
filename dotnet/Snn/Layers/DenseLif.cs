using Snn.Connections;
using Snn.Networks;
using Snn.Neurons;

namespace Snn.Layers;

/// <summary>
/// A fully connected layer of LIF neurons in snnTorch's convention, composed of a <see cref="Dense"/> projection and a
/// <see cref="Population"/> of the clock-driven family's LIF (spike after the input, decay checked rather than
/// clamped): the input currents of all T * B rows come from one call of the linear kernel (sparse accumulation for
/// spike input, else one matrix multiply) into a workspace kept between calls, then the LIF recurrence runs natively
/// over time. Per step: V = Beta V + W x[t] + b; spike when V &gt; Threshold; reset by <see cref="ResetMode"/>.
/// Parameters "weight" [out, in] and "bias" [out]; state "membrane" [B, out]; records "membrane" (before reset).
/// </summary>
[LayerType("DenseLif")]
public sealed class DenseLif : Layer
{
    private readonly Population _neurons;
    private readonly NeuronModel _model;
    private Tensor? _workspace;

    /// <summary>Creates the layer on <paramref name="device"/> (the default CPU when null); weights from <paramref name="seed"/>
    /// uniform in ±1/sqrt(in_features), as PyTorch's Linear.</summary>
    public DenseLif(int inFeatures, int outFeatures, float beta = 0.9f, float threshold = 1f,
        ResetMode resetMode = ResetMode.Subtract, bool bias = true, Device? device = null, ulong seed = 0, string? name = null)
        : base([inFeatures], [outFeatures], device, name)
    {
        Synapses = new Dense(inFeatures, outFeatures, bias, device, seed);
        Seed = seed;
        try
        {
            _model = new NeuronModel(NeuronKind.Lif, outFeatures, threshold, SpikeTiming.AfterInput, resetMode, device)
            {
                Beta = beta,
                ClipDecays = false,
            };
            _neurons = new Population(_model, "neurons");
        }
        catch
        {
            Synapses.Dispose();
            throw;
        }
    }

    /// <summary>The projection from inputs to neuron currents (weights and bias).</summary>
    public Dense Synapses { get; }

    /// <summary>The seed the weights were drawn from.</summary>
    public ulong Seed { get; }

    /// <summary>Inputs per sample.</summary>
    public int InFeatures => Synapses.InFeatures;

    /// <summary>Neurons in the layer.</summary>
    public int OutFeatures => Synapses.OutFeatures;

    /// <summary>Weights [out_features, in_features].</summary>
    public Tensor Weight => Synapses.Weight;

    /// <summary>Bias [out_features], or null.</summary>
    public Tensor? Bias => Synapses.Bias;

    /// <summary>Membrane decay per step, in [0, 1].</summary>
    public float Beta { get => _model.Beta; set => _model.Beta = value; }

    /// <summary>Firing threshold, finite and &gt; 0.</summary>
    public float Threshold { get => _model.Threshold; set => _model.Threshold = value; }

    /// <summary>Membrane reset after a spike.</summary>
    public ResetMode ResetMode { get => _model.ResetMode; set => _model.ResetMode = value; }

    /// <inheritdoc/>
    public override bool SpikingOutput => true;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Parameters => Bias is null
        ? new Dictionary<string, Tensor> { ["weight"] = Weight }
        : new Dictionary<string, Tensor> { ["weight"] = Weight, ["bias"] = Bias };

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> State => _neurons.State;

    /// <inheritdoc/>
    public override IReadOnlyList<string> Recordable => ["membrane"];

    /// <inheritdoc/>
    public override LayerConfig Config => new LayerConfig(TypeName)
        .Set("in_features", InFeatures).Set("out_features", OutFeatures).Set("beta", Beta).Set("threshold", Threshold)
        .Set("reset_mode", ResetMode.ToString()).Set("bias", Bias is not null).Set("seed", (long)Seed);

    /// <summary>Rebuilds a layer from its <see cref="Config"/> (the loader restores the weights).</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new DenseLif(checked((int)config.GetInt("in_features")), checked((int)config.GetInt("out_features")),
            (float)config.GetDouble("beta"), (float)config.GetDouble("threshold"), Enum.Parse<ResetMode>(config.GetString("reset_mode")!),
            config.GetBool("bias"), device, unchecked((ulong)config.GetInt("seed")));
    }

    /// <inheritdoc/>
    public override void ResetState() => _neurons.ResetState();

    /// <inheritdoc/>
    protected override void SetStateCore(string name, Tensor value) => _neurons.SetState(name, value);

    /// <inheritdoc/>
    protected override Signal ForwardCore(Signal input)
    {
        var x = input.Values;
        long[] shape = [input.Steps, input.BatchSize, OutFeatures];
        var currents = Workspace(x, shape);
        Synapses.Forward(x, currents);
        _neurons.Record([.. Recording]);
        var output = _neurons.Forward(currents);
        if (IsRecording("membrane")) SetRecorded("membrane", _neurons.Recorded["membrane"].Clone());
        return output;
    }

    /// <inheritdoc/>
    protected override void DisposeCore()
    {
        _neurons.Dispose();
        Synapses.Dispose();
        _workspace?.Dispose();
        _workspace = null;
    }

    // The currents of one call, kept for the next call of the same shape (the projection overwrites every element).
    private Tensor Workspace(Tensor input, long[] shape)
    {
        if (_workspace is { } cached && !cached.IsDisposed && cached.Device == input.Device && cached.Shape.SequenceEqual(shape))
            return cached;
        _workspace?.Dispose();
        _workspace = input.NewLike(shape);
        return _workspace;
    }
}
