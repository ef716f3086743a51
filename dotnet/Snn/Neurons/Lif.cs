using Snn.Native;

namespace Snn.Neurons;

/// <summary>
/// Leaky integrate-and-fire neurons in snnTorch's convention, run over all time steps in one native call. Per step:
/// V = Beta * V + I[t]; spike when V &gt; Threshold; then reset by <see cref="ResetMode"/>. It is the
/// <see cref="NeuronKind.Lif"/> model of the neuron family with <see cref="SpikeTiming.AfterInput"/>, for any number
/// of neurons; <see cref="Spyx.LIF"/> is Spyx's.
/// </summary>
public sealed class Lif
{
    /// <summary>Creates LIF neurons with decay <paramref name="beta"/> in [0, 1] and a positive threshold.</summary>
    public Lif(float beta = 0.9f, float threshold = 1f, ResetMode resetMode = ResetMode.Subtract)
    {
        Beta = beta;
        Threshold = threshold;
        ResetMode = resetMode;
    }

    /// <summary>Membrane decay per step, in [0, 1].</summary>
    public float Beta { get; set; }

    /// <summary>Firing threshold, finite and &gt; 0.</summary>
    public float Threshold { get; set; }

    /// <summary>Membrane reset after a spike.</summary>
    public ResetMode ResetMode { get; set; }

    /// <summary>
    /// Runs the neurons over input currents [T, B, N]. <paramref name="initialState"/> [B, N] is the
    /// membrane before the first step (zeros when null; it is not modified).
    /// </summary>
    public LifOutput Forward(Tensor current, Tensor? initialState = null, bool recordMembrane = false)
    {
        ArgumentNullException.ThrowIfNull(current);
        var shape = RequireSequence(current, nameof(current));
        var spikes = current.NewLike(shape);
        var membrane = recordMembrane ? current.NewLike(shape) : null;
        Tensor? state = null;
        try
        {
            state = initialState is null ? current.NewLike([shape[1], shape[2]]) : initialState.To(current.Device);
            Run(current, state, spikes, membrane);
            return new LifOutput(spikes, membrane, state);
        }
        catch
        {
            spikes.Dispose();
            membrane?.Dispose();
            state?.Dispose();
            throw;
        }
    }

    /// <summary>Runs the recurrence; <paramref name="membrane"/> may be <paramref name="current"/> itself. This is
    /// the neuron family's LIF with the spike taken after the input and decays checked, not clamped
    /// (<see cref="NeuronModel"/>).</summary>
    internal void Run(Tensor current, Tensor state, Tensor spikes, Tensor? membrane)
    {
        var parameters = new snn_neuron_params
        {
            model = (int)NeuronKind.Lif,
            spike_timing = (int)SpikeTiming.AfterInput,
            reset_mode = (int)ResetMode,
            max_spikes_per_step = 1,
            clip_decays = 0,
            threshold = Threshold,
            beta = Beta,
        };
        var carried = new NeuronState(state, null, null, null, null); // a view of the caller's tensor: not disposed here
        NeuronModel.Invoke(parameters, current, null, null, null, null, carried, spikes, membrane);
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
}
