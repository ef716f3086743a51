using System.Runtime.InteropServices;
using Snn.Native;

namespace Snn.Interop;

/// <summary>
/// Base of the SafeHandles that own native objects. It counts handles that reached the finalizer
/// without being disposed, so tests can fail on leaks instead of relying on the safety net.
/// </summary>
internal abstract class NativeHandle : SafeHandle
{
    private static long s_finalizedUndisposed;
    private static long s_live;

    protected NativeHandle() : base(IntPtr.Zero, ownsHandle: true) => Interlocked.Increment(ref s_live);

    /// <summary>Handles released by the finalizer rather than by Dispose since the process started.</summary>
    public static long FinalizedWithoutDispose => Interlocked.Read(ref s_finalizedUndisposed);

    /// <summary>Handles created and not yet released.</summary>
    public static long Live => Interlocked.Read(ref s_live);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override void Dispose(bool disposing)
    {
        if (!disposing && !IsInvalid && !IsClosed) Interlocked.Increment(ref s_finalizedUndisposed);
        base.Dispose(disposing);
    }

    protected sealed override bool ReleaseHandle()
    {
        Release(handle);
        Interlocked.Decrement(ref s_live);
        return true;
    }

    protected abstract void Release(IntPtr pointer);
}

/// <summary>Owns one reference to an <c>snn_device</c>.</summary>
internal sealed unsafe class DeviceHandle : NativeHandle
{
    public DeviceHandle(snn_device* device) => SetHandle((IntPtr)device);

    public snn_device* Pointer => (snn_device*)handle;

    protected override void Release(IntPtr pointer) => Methods.snn_device_release((snn_device*)pointer);
}

/// <summary>Owns one reference to an <c>snn_tensor</c>.</summary>
internal sealed unsafe class TensorHandle : NativeHandle
{
    public TensorHandle(snn_tensor* tensor) => SetHandle((IntPtr)tensor);

    public snn_tensor* Pointer => (snn_tensor*)handle;

    protected override void Release(IntPtr pointer) => Methods.snn_tensor_release((snn_tensor*)pointer);
}
