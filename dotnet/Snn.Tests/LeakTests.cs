using Snn.Encoding;
using Snn.Interop;
using Snn.Layers;

namespace Snn.Tests;

public class LeakTests
{
    [Fact]
    public void DisposingEverythingLeavesNoNativeHandle()
    {
        SettleFinalizers();
        var liveBefore = NativeHandle.Live;
        var finalizedBefore = NativeHandle.FinalizedWithoutDispose;
        for (var i = 0; i < 20; i++)
        {
            using var device = Device.Cpu();
            using var intensities = Tensor.Full([2, 8], 0.5, device: device);
            using var spikes = new PoissonEncoder(5, (ulong)i).Encode(intensities);
            using var layer = new DenseLif(8, 4, device: device);
            layer.Record(i % 2 == 0 ? ["membrane"] : []);
            using var output = layer.Forward(spikes);
        }
        Assert.Equal(liveBefore, NativeHandle.Live);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Equal(finalizedBefore, NativeHandle.FinalizedWithoutDispose);
    }

    [Fact]
    public void AForgottenTensorIsReleasedByTheFinalizerAndCounted()
    {
        SettleFinalizers();
        var finalizedBefore = NativeHandle.FinalizedWithoutDispose;
        Forget();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Equal(finalizedBefore + 1, NativeHandle.FinalizedWithoutDispose);

        static void Forget() => Tensor.Zeros([16]);
    }

    [Fact]
    public void FailedOperationsDoNotLeakTheirOutputs()
    {
        using var input = Tensor.Zeros([3, 2, 5]);
        using var bad = Tensor.Full([1, 2], 2.0);
        using var layer = new DenseLif(5, 4) { Threshold = float.NaN };
        Assert.Throws<SnnArgumentException>(() => layer.Forward(input)); // creates the layer's reusable workspace
        SettleFinalizers();
        var live = NativeHandle.Live;
        layer.Record("membrane");
        Assert.Throws<SnnArgumentException>(() => layer.Forward(input));
        layer.Record();
        Assert.Throws<SnnArgumentException>(() => layer.Forward(input));
        Assert.Throws<SnnArgumentException>(() => new PoissonEncoder(2).Encode(bad));
        Assert.Equal(live, NativeHandle.Live);
    }

    /// <summary>
    /// The counters are process-wide: objects other tests dropped without disposing may be finalized
    /// at any time, and the shared default device appears on first use. Settle both before a test
    /// takes its baseline, so only its own objects count.
    /// </summary>
    private static void SettleFinalizers()
    {
        _ = Device.Default; // the shared device lives for the process: create it before any baseline
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
