using System.Globalization;
using Snn.Native;

namespace Snn.Connections;

/// <summary>
/// PySNN's <c>reset_weights</c> distributions, drawn from Philox stream (seed, 0) by the native initialiser
/// (<c>snn_random_fill</c>, snn/random.h) so every device and language gets the same values: uniform a + (b - a) u(i),
/// normal std z(i) with z Box-Muller in double precision over consecutive pairs of uniforms, each rounded once to
/// float32.
/// </summary>
internal static class WeightInit
{
    internal static readonly string[] Distributions =
    [
        "uniform", "neuron_scaled_uniform", "neuron_scaled_normal", "normalized", "normal",
        "xavier_normal", "xavier_uniform", "kaiming_normal", "kaiming_uniform", "constant",
    ];

    /// <summary>Fills <paramref name="weight"/> [out, in, ...receptive] as PySNN's reset_weights does.</summary>
    internal static void Fill(Tensor weight, string distribution, double gain, double a, double b, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        foreach (var (value, label) in new[] { (gain, "gain"), (a, "a"), (b, "b") })
        {
            if (!double.IsFinite(value))
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    string.Create(CultureInfo.InvariantCulture, $"reset_weights: {label} = {value} must be finite."));
        }
        var shape = weight.Shape;
        var n = (int)weight.ElementCount;
        long receptive = 1;
        for (var d = 2; d < shape.Length; d++) receptive *= shape[d];
        double fanIn = shape[1] * receptive, fanOut = shape[0] * receptive;
        var values = new double[n];
        switch (distribution)
        {
            case "uniform":
                RequireOrdered(a, b, distribution);
                Uniform(values, a, b, seed);
                break;
            case "neuron_scaled_uniform": // PySNN scales the bounds by sqrt(weight.shape[1])
                RequireOrdered(a, b, distribution);
                Uniform(values, a / Math.Sqrt(shape[1]), b / Math.Sqrt(shape[1]), seed);
                break;
            case "neuron_scaled_normal":
                Normal(values, gain / Math.Sqrt(shape[1]), seed);
                break;
            case "normalized":
                RequireOrdered(a, b, distribution);
                Uniform(values, a, b, seed);
                var sum = values.Sum();
                if (sum == 0)
                    throw new SnnArgumentException(ErrorCode.InvalidArgument,
                        "reset_weights(\"normalized\") drew weights that sum to 0 and cannot be normalised; pick bounds a < b with a + b > 0.");
                for (var i = 0; i < n; i++) values[i] = values[i] / sum * gain;
                break;
            case "normal":
                Normal(values, 1, seed);
                break;
            case "xavier_normal":
                Normal(values, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), seed);
                ShiftByMax(values, a);
                break;
            case "xavier_uniform":
                var bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
                Uniform(values, -bound, bound, seed);
                ShiftByMax(values, a);
                break;
            case "kaiming_normal": // torch defaults: a = 0, fan_in, leaky_relu gain sqrt(2)
                Normal(values, Math.Sqrt(2.0 / fanIn), seed);
                break;
            case "kaiming_uniform":
                var k = Math.Sqrt(6.0 / fanIn);
                Uniform(values, -k, k, seed);
                break;
            case "constant":
                Array.Fill(values, gain);
                break;
            default:
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"unknown weight distribution \"{distribution}\"; use one of {string.Join(", ", Distributions)}.");
        }
        var floats = new float[n];
        for (var i = 0; i < n; i++) floats[i] = (float)values[i];
        weight.CopyFrom<float>(floats);
    }

    private static void RequireOrdered(double a, double b, string distribution)
    {
        if (b < a)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                string.Create(CultureInfo.InvariantCulture, $"reset_weights(\"{distribution}\") needs a <= b, got a = {a}, b = {b}; swap them."));
    }

    // PySNN adds a times the largest weight after the xavier draws.
    private static void ShiftByMax(double[] values, double a)
    {
        if (a == 0 || values.Length == 0) return;
        var shift = values.Max() * a;
        for (var i = 0; i < values.Length; i++) values[i] += shift;
    }

    private static void Uniform(double[] values, double low, double high, ulong seed) =>
        Draw(values, new snn_distribution { kind = (int)snn_distribution_kind.SNN_DISTRIBUTION_UNIFORM, a = low, b = high }, seed);

    private static void Normal(double[] values, double std, ulong seed) =>
        Draw(values, new snn_distribution { kind = (int)snn_distribution_kind.SNN_DISTRIBUTION_NORMAL, a = 0, b = std }, seed);

    // snn_random_fill's float32 values (Initializers.Draw), widened for the distributions that rescale them.
    private static void Draw(double[] values, snn_distribution distribution, ulong seed)
    {
        using var drawn = Tensor.Zeros([Math.Max(values.Length, 1)], DType.Float32, Device.Default);
        Initializers.Draw(drawn, distribution, seed, 0);
        var floats = new float[values.Length];
        drawn.CopyTo<float>(floats.AsSpan());
        Array.Copy(floats, values, floats.Length);
    }
}
