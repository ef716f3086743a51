using System.Globalization;
using Snn.Native;

namespace Snn.Connections;

/// <summary>
/// PySNN's <c>reset_weights</c> distributions, drawn from Philox stream (seed, 0) by the native initialiser
/// (<c>snn_random_fill</c>, snn/random.h) so every device and language gets the same values: uniform a + (b - a) u(i),
/// normal std z(i) with z Box-Muller in double precision over consecutive pairs of uniforms, each rounded once to
/// float32; "normalized" and the xavier shift are the initialiser's rescaling options (normalize, shift_by_max).
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
        long receptive = 1;
        for (var d = 2; d < shape.Length; d++) receptive *= shape[d];
        double fanIn = shape[1] * receptive, fanOut = shape[0] * receptive;
        var draw = distribution switch
        {
            "uniform" => Uniform(a, b, distribution),
            // PySNN scales the bounds by sqrt(weight.shape[1])
            "neuron_scaled_uniform" => Uniform(a, b, distribution, Math.Sqrt(shape[1])),
            "neuron_scaled_normal" => Normal(gain / Math.Sqrt(shape[1])),
            // the draws rescaled natively to sum to gain
            "normalized" => Uniform(a, b, distribution) with { normalize = 1, normalize_to = gain },
            "normal" => Normal(1),
            // PySNN adds a times the largest weight after the xavier draws
            "xavier_normal" => Normal(gain * Math.Sqrt(2.0 / (fanIn + fanOut))) with { shift_by_max = a },
            "xavier_uniform" => Symmetric(gain * Math.Sqrt(6.0 / (fanIn + fanOut))) with { shift_by_max = a },
            // torch defaults: a = 0, fan_in, leaky_relu gain sqrt(2)
            "kaiming_normal" => Normal(Math.Sqrt(2.0 / fanIn)),
            "kaiming_uniform" => Symmetric(Math.Sqrt(6.0 / fanIn)),
            "constant" => new snn_distribution { kind = (int)snn_distribution_kind.SNN_DISTRIBUTION_CONSTANT, a = gain },
            _ => throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"unknown weight distribution \"{distribution}\"; use one of {string.Join(", ", Distributions)}."),
        };
        try
        {
            Initializers.Draw(weight, draw, seed, 0);
        }
        catch (SnnException e) when (draw.normalize == 1 && e.Message.Contains("sum to 0", StringComparison.Ordinal))
        {
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                "reset_weights(\"normalized\") drew weights that sum to 0 and cannot be normalised; pick bounds a < b with a + b > 0.");
        }
    }

    private static void RequireOrdered(double a, double b, string distribution)
    {
        if (b < a)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                string.Create(CultureInfo.InvariantCulture, $"reset_weights(\"{distribution}\") needs a <= b, got a = {a}, b = {b}; swap them."));
    }

    private static snn_distribution Uniform(double a, double b, string distribution, double divisor = 1)
    {
        RequireOrdered(a, b, distribution);
        return new snn_distribution { kind = (int)snn_distribution_kind.SNN_DISTRIBUTION_UNIFORM, a = a / divisor, b = b / divisor };
    }

    private static snn_distribution Symmetric(double bound) =>
        new() { kind = (int)snn_distribution_kind.SNN_DISTRIBUTION_UNIFORM, a = -bound, b = bound };

    private static snn_distribution Normal(double std) =>
        new() { kind = (int)snn_distribution_kind.SNN_DISTRIBUTION_NORMAL, a = 0, b = std };
}
