using Snn.Interop;
using Snn.Native;

namespace Snn;

/// <summary>Seeded parameter initialisers; the same seed gives the same values on every device and language.</summary>
public static class Initializers
{
    /// <summary>
    /// Fills a float32 tensor with values uniform in [low, high) drawn from Philox stream (seed, offset): element i
    /// is low + (high - low) u(i) in double precision, rounded once to float32.
    /// </summary>
    public static void Uniform(Tensor target, double low, double high, ulong seed, ulong offset = 0)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!double.IsFinite(low) || !double.IsFinite(high) || high < low)
            throw new ArgumentException($"Uniform needs finite bounds with low <= high, got [{low}, {high}).");
        Draw(target, new snn_distribution { kind = (int)snn_distribution_kind.SNN_DISTRIBUTION_UNIFORM, a = low, b = high },
            seed, offset);
    }

    /// <summary>
    /// Fills a float32 tensor with a truncated normal: <paramref name="mean"/> + <paramref name="std"/> * z, with z
    /// standard normal restricted to [-<paramref name="bound"/>, <paramref name="bound"/>] by rejection, like Haiku's
    /// TruncatedNormal (bound 2) that Spyx initialises decays and recurrent weights with. The normals come from
    /// Philox stream (seed, offset) by Box-Muller in double precision: draws 2k and 2k + 1 are r cos(2 pi u(2k + 1))
    /// and r sin(2 pi u(2k + 1)) with r = sqrt(-2 ln(1 - u(2k))); element i (row-major) is the i-th draw inside the
    /// bounds, rounded once to float32.
    /// </summary>
    public static void TruncatedNormal(Tensor target, double mean, double std, ulong seed, ulong offset = 0, double bound = 2)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!double.IsFinite(mean) || !double.IsFinite(std) || std < 0)
            throw new ArgumentException($"TruncatedNormal needs a finite mean and a finite std >= 0, got mean {mean}, std {std}.");
        if (!double.IsFinite(bound) || bound <= 0)
            throw new ArgumentException($"TruncatedNormal needs a finite bound > 0 (in standard deviations), got {bound}.");
        Draw(target, new snn_distribution
        {
            kind = (int)snn_distribution_kind.SNN_DISTRIBUTION_TRUNCATED_NORMAL, a = mean, b = std, bound = bound,
        }, seed, offset);
    }

    // The one native initialiser (snn_random_fill) behind every distribution of every layer type: the values
    // are drawn on the host from Philox stream (seed, offset), so every device and language gets the same ones.
    internal static unsafe void Draw(Tensor target, snn_distribution distribution, ulong seed, ulong offset)
    {
        NativeCall.Check(Methods.snn_random_fill(target.Pointer, &distribution, seed, offset));
        GC.KeepAlive(target);
    }
}
