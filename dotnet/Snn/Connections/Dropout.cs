using Snn.Networks;

namespace Snn.Connections;

/// <summary>
/// Dropout as it behaves at inference: a pass-through that hands on a copy of the values and the trace, so that
/// networks built or converted from models with dropout keep their layer list. The probability <see cref="P"/> is
/// kept (for saved files and for training, which is where dropout acts) and must lie in [0, 1).
/// </summary>
[LayerType("Dropout")]
public sealed class Dropout : Layer
{
    /// <summary>Creates the pass-through for samples of <paramref name="shape"/>.</summary>
    public Dropout(long[] shape, double p = 0.5, Device? device = null, string? name = null)
        : base(shape ?? throw new ArgumentNullException(nameof(shape)), shape, device, name)
    {
        if (!(p >= 0 && p < 1))
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"dropout probability p must be in [0, 1), got {p}.");
        P = p;
    }

    /// <summary>The probability of dropping a unit during training.</summary>
    public double P { get; }

    /// <inheritdoc/>
    public override LayerConfig Config => new LayerConfig(TypeName).Set("shape", InputShape).Set("p", P);

    /// <summary>Rebuilds a layer from its <see cref="Config"/>.</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Dropout(config.GetIntArray("shape"), config.GetDouble("p"), device);
    }

    /// <summary>No state: nothing to reset.</summary>
    public override void ResetState() { }

    /// <inheritdoc/>
    protected override Signal ForwardCore(Signal input)
    {
        var values = input.Values.Clone();
        try
        {
            return new Signal(values, input.Trace?.Clone());
        }
        catch
        {
            values.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    protected override void DisposeCore() { }
}
