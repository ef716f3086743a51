using Snn.Interop;
using Snn.Native;

namespace Snn.EventDriven;

/// <summary>
/// How <see cref="SpikingNetwork.AddFcLayer"/> fills a new layer's weights. Random initializers draw
/// from snn's Philox generator: the process-wide seed (<see cref="SetSeed"/>, 0 until set) and a stream
/// number that every random layer takes in turn, so the same seed and the same sequence of layers give
/// the same weights on every run, thread count and language (C# and Python share this code).
/// </summary>
public abstract class Initializer
{
    private static readonly object Gate = new();
    private static ulong s_seed;
    private static ulong s_stream;

    private protected Initializer() { }

    /// <summary>The seed of the global generator (0 until <see cref="SetSeed"/> is called).</summary>
    public static ulong Seed
    {
        get
        {
            lock (Gate) return s_seed;
        }
    }

    /// <summary>Restarts the global generator at <paramref name="seed"/> (EvSpikeSim's <c>random.set_seed</c>):
    /// the next random layer takes stream 0 of the new seed.</summary>
    public static void SetSeed(ulong seed)
    {
        lock (Gate)
        {
            s_seed = seed;
            s_stream = 0;
        }
    }

    private protected abstract snn_distribution Parameters { get; }

    private protected virtual bool IsRandom => true;

    // Writes the initial weights into `weights` (float32, CPU), drawing the next stream when random.
    internal unsafe void Fill(Tensor weights)
    {
        ulong seed = 0, stream = 0;
        if (IsRandom)
        {
            lock (Gate)
            {
                seed = s_seed;
                stream = s_stream++;
            }
        }
        Initializers.Draw(weights, Parameters, seed, stream);
    }

    private protected static void RequireFinite(float value, string name, string type)
    {
        if (!float.IsFinite(value))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{type}: {name} must be finite, got {value}; pass a finite number.");
    }
}

/// <summary>Every weight equals <see cref="Value"/>.</summary>
public class ConstantInitializer : Initializer
{
    /// <summary>Weights equal to <paramref name="value"/> (finite).</summary>
    public ConstantInitializer(float value = 0f)
    {
        RequireFinite(value, nameof(value), nameof(ConstantInitializer));
        Value = value;
    }

    /// <summary>The weight value.</summary>
    public float Value { get; }

    private protected override bool IsRandom => false;

    private protected override snn_distribution Parameters =>
        new() { kind = (int)snn_distribution_kind.SNN_DISTRIBUTION_CONSTANT, a = Value };

    /// <inheritdoc/>
    public override string ToString() => $"ConstantInitializer(value={Value})";
}

/// <summary>Weights uniform in [<see cref="LowerBound"/>, <see cref="UpperBound"/>): lower + (upper - lower) * u in float32.</summary>
public class UniformInitializer : Initializer
{
    /// <summary>Weights uniform between finite bounds with <paramref name="lowerBound"/> &lt;= <paramref name="upperBound"/>.</summary>
    public UniformInitializer(float lowerBound = -1f, float upperBound = 1f)
    {
        RequireFinite(lowerBound, nameof(lowerBound), nameof(UniformInitializer));
        RequireFinite(upperBound, nameof(upperBound), nameof(UniformInitializer));
        if (!(lowerBound <= upperBound))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"UniformInitializer: lowerBound {lowerBound} is above upperBound {upperBound}; swap them.");
        LowerBound = lowerBound;
        UpperBound = upperBound;
    }

    /// <summary>Smallest weight.</summary>
    public float LowerBound { get; }

    /// <summary>Upper end of the range.</summary>
    public float UpperBound { get; }

    private protected override snn_distribution Parameters =>
        new() { kind = (int)snn_distribution_kind.SNN_DISTRIBUTION_UNIFORM, a = LowerBound, b = UpperBound };

    /// <inheritdoc/>
    public override string ToString() => $"UniformInitializer(lower_bound={LowerBound}, upper_bound={UpperBound})";
}

/// <summary>Weights normal with <see cref="Mean"/> and <see cref="Stddev"/> (Box-Muller over snn's uniform stream).</summary>
public class NormalInitializer : Initializer
{
    /// <summary>Weights drawn from N(<paramref name="mean"/>, <paramref name="stddev"/>^2); both finite, stddev &gt;= 0.</summary>
    public NormalInitializer(float mean = 0f, float stddev = 1f)
    {
        RequireFinite(mean, nameof(mean), nameof(NormalInitializer));
        RequireFinite(stddev, nameof(stddev), nameof(NormalInitializer));
        if (!(stddev >= 0f))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"NormalInitializer: stddev must be >= 0, got {stddev}; pass a non-negative standard deviation.");
        Mean = mean;
        Stddev = stddev;
    }

    /// <summary>Mean of the weights.</summary>
    public float Mean { get; }

    /// <summary>Standard deviation of the weights.</summary>
    public float Stddev { get; }

    private protected override snn_distribution Parameters =>
        new() { kind = (int)snn_distribution_kind.SNN_DISTRIBUTION_NORMAL, a = Mean, b = Stddev };

    /// <inheritdoc/>
    public override string ToString() => $"NormalInitializer(mean={Mean}, stddev={Stddev})";
}
