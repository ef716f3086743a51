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
}
