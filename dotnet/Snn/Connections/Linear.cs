using Snn.Interop;
using Snn.Native;
using Snn.Networks;

namespace Snn.Connections;

/// <summary>
/// PySNN's <c>Linear</c> connection: activation potentials y[t] = W s[t - delay] (+ b) for presynaptic spikes s
/// [T, B, in_features], computed as one BLAS / cuBLAS matrix multiply over all steps. Weights [out_features,
/// in_features] start uniform in [0, 1) (PySNN's default <see cref="Connection.ResetWeights"/>); PySNN's
/// <c>batch_size</c> argument is not needed, the batch comes with the input.
/// </summary>
[LayerType("Linear")]
public unsafe class Linear : Connection
{
    /// <summary>Creates the connection; <paramref name="delay"/> is in time units and must be a whole multiple of
    /// <paramref name="dt"/>. <paramref name="bias"/> adds a bias (zero-initialised) that PySNN does not have.</summary>
    public Linear(int inFeatures, int outFeatures, double dt = 1.0, double delay = 0.0, bool bias = false, ulong seed = 0,
                  Device? device = null, string? name = null)
        : base([Positive(inFeatures, nameof(inFeatures))], [Positive(outFeatures, nameof(outFeatures))],
               [outFeatures, inFeatures], bias, dt, delay, seed, device, name)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
    }

    /// <summary>Presynaptic neurons.</summary>
    public int InFeatures { get; }

    /// <summary>Postsynaptic neurons.</summary>
    public int OutFeatures { get; }

    /// <inheritdoc/>
    public override LayerConfig Config =>
        WithBase(new LayerConfig(TypeName).Set("in_features", InFeatures).Set("out_features", OutFeatures));

    /// <summary>Rebuilds a layer from its <see cref="Config"/>.</summary>
    public static Layer FromConfig(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Linear((int)config.GetInt("in_features"), (int)config.GetInt("out_features"), config.GetDouble("dt"),
            config.GetDouble("delay"), config.GetBool("bias"), (ulong)config.GetInt("seed"), device);
    }

    private protected override void Project(Tensor spikes, Tensor output)
    {
        NativeCall.Check(Methods.snn_linear_forward(spikes.Pointer, Weight.Pointer, Bias is null ? null : Bias.Pointer, output.Pointer));
        GC.KeepAlive(spikes);
        GC.KeepAlive(output);
    }

    internal static long Positive(long value, string name) => value > 0 ? value
        : throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{name} = {value} must be >= 1.");
}
