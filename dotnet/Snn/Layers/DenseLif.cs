using Snn.Connections;
using Snn.Neurons;

namespace Snn.Layers;

/// <summary>
/// A fully connected layer of LIF neurons run over a whole sequence: the input currents of all
/// T * B rows come from one call of the linear kernel (sparse accumulation for spike input, else one matrix
/// multiply), then the LIF recurrence runs per neuron over time.
/// Per step: V = Beta * V + W x[t] + b; spike when V &gt; Threshold; reset by <see cref="ResetMode"/>.
/// </summary>
public sealed class DenseLif : IDisposable
{
    private readonly Lif _neurons;
    private Tensor? _workspace;

    /// <summary>Creates the layer on <paramref name="device"/> (the default CPU when null); weights from <paramref name="seed"/>.</summary>
    public DenseLif(int inFeatures, int outFeatures, float beta = 0.9f, float threshold = 1f,
        ResetMode resetMode = ResetMode.Subtract, bool bias = true, Device? device = null, ulong seed = 0)
    {
        Synapses = new Dense(inFeatures, outFeatures, bias, device, seed);
        _neurons = new Lif(beta, threshold, resetMode);
    }

    /// <summary>The projection from inputs to neuron currents (weights and bias).</summary>
    public Dense Synapses { get; }

    /// <summary>Inputs per sample.</summary>
    public int InFeatures => Synapses.InFeatures;

    /// <summary>Neurons in the layer.</summary>
    public int OutFeatures => Synapses.OutFeatures;

    /// <summary>Weights [out_features, in_features].</summary>
    public Tensor Weight => Synapses.Weight;

    /// <summary>Bias [out_features], or null.</summary>
    public Tensor? Bias => Synapses.Bias;

    /// <summary>Membrane decay per step, in [0, 1].</summary>
    public float Beta { get => _neurons.Beta; set => _neurons.Beta = value; }

    /// <summary>Firing threshold, finite and &gt; 0.</summary>
    public float Threshold { get => _neurons.Threshold; set => _neurons.Threshold = value; }

    /// <summary>Membrane reset after a spike.</summary>
    public ResetMode ResetMode { get => _neurons.ResetMode; set => _neurons.ResetMode = value; }

    /// <summary>
    /// Runs input spikes or currents [T, B, in_features] through the layer. <paramref name="initialState"/>
    /// [B, out_features] is the membrane before the first step (zeros when null; not modified).
    /// </summary>
    public LifOutput Forward(Tensor input, Tensor? initialState = null, bool recordMembrane = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = Lif.RequireSequence(input, nameof(input));
        shape[2] = OutFeatures;
        // Currents go to the returned membrane tensor, which the recurrence overwrites in place;
        // without recording they go to a workspace kept between calls of the same shape.
        var currents = recordMembrane ? input.NewLike(shape) : Workspace(input, shape);
        Tensor? spikes = null, state = null;
        try
        {
            Synapses.Forward(input, currents);
            spikes = input.NewLike(shape);
            state = initialState is null ? input.NewLike([shape[1], shape[2]]) : initialState.To(input.Device);
            _neurons.Run(currents, state, spikes, recordMembrane ? currents : null);
            return new LifOutput(spikes, recordMembrane ? currents : null, state);
        }
        catch
        {
            if (recordMembrane) currents.Dispose();
            spikes?.Dispose();
            state?.Dispose();
            throw;
        }
    }

    /// <summary>Releases the parameters and the workspace.</summary>
    public void Dispose()
    {
        Synapses.Dispose();
        _workspace?.Dispose();
        _workspace = null;
    }

    private Tensor Workspace(Tensor input, long[] shape)
    {
        if (_workspace is { } cached && !cached.IsDisposed && cached.Device == input.Device && cached.Shape.SequenceEqual(shape))
            return cached;
        _workspace?.Dispose();
        _workspace = input.NewLike(shape);
        return _workspace;
    }
}
