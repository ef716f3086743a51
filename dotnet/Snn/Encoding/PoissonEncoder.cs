using Snn.Interop;
using Snn.Native;

namespace Snn.Encoding;

/// <summary>
/// Rate coding: each input intensity in [0, 1] is the probability of a spike at every time step.
/// Encoding is reproducible: call k of an encoder uses Philox stream (Seed, Offset + k).
/// </summary>
public sealed unsafe class PoissonEncoder
{
    /// <summary>Creates an encoder producing <paramref name="numSteps"/> time steps per input.</summary>
    public PoissonEncoder(int numSteps, ulong seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numSteps);
        NumSteps = numSteps;
        Seed = seed;
    }

    /// <summary>Time steps T of every encoded train.</summary>
    public int NumSteps { get; }

    /// <summary>Seed of the random stream.</summary>
    public ulong Seed { get; }

    /// <summary>Stream offset the next <see cref="Encode"/> uses; each call advances it by one.</summary>
    public ulong Offset { get; set; }

    /// <summary>Encodes float32 intensities [B, N] into spikes [T, B, N] (0 or 1) on the same device.</summary>
    public Tensor Encode(Tensor intensities)
    {
        ArgumentNullException.ThrowIfNull(intensities);
        var shape = intensities.Shape;
        if (shape.Length != 2)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"PoissonEncoder.Encode expects intensities of shape [batch, features], got [{string.Join(", ", shape)}]; reshape the input first.");
        var spikes = intensities.NewLike([NumSteps, shape[0], shape[1]]);
        try
        {
            NativeCall.Check(Methods.snn_poisson_encode(intensities.Pointer, Seed, Offset, spikes.Pointer));
        }
        catch
        {
            spikes.Dispose();
            throw;
        }
        GC.KeepAlive(intensities);
        Offset++;
        return spikes;
    }
}
