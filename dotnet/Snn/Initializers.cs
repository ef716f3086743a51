namespace Snn;

/// <summary>Seeded parameter initialisers; the same seed gives the same values on every device and language.</summary>
public static class Initializers
{
    /// <summary>Fills a float32 tensor with values uniform in [low, high) drawn from Philox stream (seed, offset).</summary>
    public static void Uniform(Tensor target, double low, double high, ulong seed, ulong offset = 0)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!double.IsFinite(low) || !double.IsFinite(high) || high < low)
            throw new ArgumentException($"Uniform needs finite bounds with low <= high, got [{low}, {high}).");
        // Draw on the CPU so every device gets identical values, then place them on the target's device.
        using var uniforms = Tensor.Zeros(target.Shape, DType.Float32, Device.Default);
        Philox.Uniform(uniforms, seed, offset);
        var values = uniforms.AsSpan<float>();
        float lo = (float)low, width = (float)(high - low);
        for (var i = 0; i < values.Length; i++) values[i] = lo + width * values[i];
        target.CopyFrom(uniforms);
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
        var values = new float[target.ElementCount];
        // The stream is a pure function of the element index, so a longer draw extends a shorter one.
        var capacity = 2 * (values.LongLength + values.LongLength / 8 + 32);
        var uniforms = DrawUniforms(capacity, seed, offset);
        long next = 0, filled = 0;
        while (filled < values.LongLength)
        {
            if (next + 2 > capacity) uniforms = DrawUniforms(capacity *= 2, seed, offset);
            var r = Math.Sqrt(-2.0 * Math.Log(1.0 - uniforms[next]));
            var angle = 2.0 * Math.PI * uniforms[next + 1];
            next += 2;
            foreach (var z in (ReadOnlySpan<double>)[r * Math.Cos(angle), r * Math.Sin(angle)])
                if (Math.Abs(z) <= bound && filled < values.LongLength) values[filled++] = (float)(mean + std * z);
        }
        target.CopyFrom(values);
    }

    private static float[] DrawUniforms(long count, ulong seed, ulong offset)
    {
        using var uniforms = Tensor.Zeros([count], DType.Float32, Device.Default);
        Philox.Uniform(uniforms, seed, offset);
        return (float[])uniforms.ToArray();
    }
}
