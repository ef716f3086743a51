using Snn.Interop;
using Snn.Native;

namespace Snn.Neurons;

/// <summary>
/// Leaky integrate-and-fire neurons run over all time steps in one native call. Per step:
/// V = Beta * V + I[t]; spike when V &gt; Threshold; then reset by <see cref="ResetMode"/>.
/// </summary>
public sealed unsafe class Lif
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

    /// <summary>Runs the recurrence; <paramref name="membrane"/> may be <paramref name="current"/> itself.</summary>
    internal void Run(Tensor current, Tensor state, Tensor spikes, Tensor? membrane)
    {
        var parameters = new snn_lif_params { beta = Beta, threshold = Threshold, reset_mode = (int)ResetMode };
        NativeCall.Check(Methods.snn_lif_forward(current.Pointer, &parameters, state.Pointer, spikes.Pointer,
            membrane is null ? null : membrane.Pointer));
        GC.KeepAlive(current);
        GC.KeepAlive(state);
        GC.KeepAlive(spikes);
        GC.KeepAlive(membrane);
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
