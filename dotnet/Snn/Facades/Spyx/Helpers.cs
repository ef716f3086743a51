// Spyx's helpers (spyx.nn.ActivityRegularization, PopulationCode, SumPool, sum_pool) under their own names: the core
// SpikeCounter, PopulationCode and SumPool, which hold the shapes and call the native sums.
using Snn.Connections;
using Snn.Neurons;

namespace Snn.Spyx;

/// <summary>Spyx's <c>ActivityRegularization(name='ActReg')</c>: the core <see cref="SpikeCounter"/> under Spyx's name.</summary>
public sealed class ActivityRegularization(string name = "ActReg") : SpikeCounter
{
    /// <summary>The module's name.</summary>
    public string Name { get; } = name;
}

/// <summary>Spyx's <c>PopulationCode(num_classes)</c>: the core <see cref="Connections.PopulationCode"/>, called as
/// <c>code(x)</c> from Python.</summary>
public sealed class PopulationCode(int numClasses) : Connections.PopulationCode(numClasses)
{
    /// <summary><see cref="Connections.PopulationCode.Forward"/>, as Spyx's users call it.</summary>
    [PythonName("__call__")]
    public Tensor Invoke(Tensor x) => Forward(x);
}

/// <summary>Spyx's <c>SumPool(window_shape, strides, padding, channel_axis=-1)</c>: the core <see cref="Connections.SumPool"/>.</summary>
public sealed class SumPool : Connections.SumPool
{
    /// <summary>Spyx's <c>SumPool(...)(value)</c>: <see cref="Connections.SumPool.Forward"/>.</summary>
    [PythonName("__call__")]
    public Tensor Invoke(Tensor value) => Forward(value);

    /// <summary>Per-axis window and strides, padding "VALID" or "SAME".</summary>
    public SumPool(int[] windowShape, int[] strides, string padding, int? channelAxis = -1) : base(windowShape, strides, padding, channelAxis) { }

    /// <summary>One window size and stride for the spatial axes, padding "VALID" or "SAME".</summary>
    public SumPool(int windowShape, int strides, string padding, int? channelAxis = -1) : base(windowShape, strides, padding, channelAxis) { }

    /// <summary>Per-axis window and strides.</summary>
    public SumPool(int[] windowShape, int[] strides, SumPadding padding = SumPadding.Valid, int? channelAxis = -1)
        : base(windowShape, strides, padding, channelAxis) { }

    /// <summary>One window size and stride for the spatial axes.</summary>
    public SumPool(int windowShape, int strides, SumPadding padding = SumPadding.Valid, int? channelAxis = -1)
        : base(windowShape, strides, padding, channelAxis) { }
}

/// <summary>Spyx's module-level functions (spyx.nn.sum_pool).</summary>
public static class Functions
{
    /// <summary>Spyx's sum_pool: <c>new SumPool(windowShape, strides, padding, channelAxis).Forward(value)</c>.</summary>
    public static Tensor SumPool(Tensor value, int[] windowShape, int[] strides, string padding, int? channelAxis = -1) =>
        new Connections.SumPool(windowShape, strides, padding, channelAxis).Forward(value);

    /// <summary>Spyx's sum_pool with one window size and stride for the spatial axes.</summary>
    public static Tensor SumPool(Tensor value, int windowShape, int strides, string padding, int? channelAxis = -1) =>
        new Connections.SumPool(windowShape, strides, padding, channelAxis).Forward(value);
}
