using System.Runtime.InteropServices;
using Snn.Interop;
using Snn.Native;

namespace Snn;

/// <summary>
/// A compute device (the CPU or one CUDA GPU) on which tensors live and operations run.
/// Tensors keep the native device alive, so existing tensors stay readable after the device is disposed;
/// operations create their outputs on their inputs' device, so keep it open while you compute.
/// </summary>
public sealed unsafe class Device : IDisposable
{
    private static readonly Lazy<Device> SharedCpu = new(() => new Device(DeviceKind.Cpu, 0, shared: true));
    private readonly DeviceHandle _handle;
    private readonly bool _shared;

    private Device(DeviceKind kind, int ordinal, bool shared)
    {
        NativeLibraryGate.EnsureLoaded();
        snn_device* device;
        NativeCall.Check(Methods.snn_device_create((snn_device_kind)kind, ordinal, &device));
        _handle = new DeviceHandle(device);
        _shared = shared;
        Kind = kind;
        Ordinal = ordinal;
    }

    /// <summary>The process-wide CPU device, used when an API takes no device. Dispose does nothing on it.</summary>
    public static Device Default => SharedCpu.Value;

    /// <summary>Opens the CPU with <paramref name="numThreads"/> worker threads (0: one per core).</summary>
    public static Device Cpu(int numThreads = 0)
    {
        var device = new Device(DeviceKind.Cpu, 0, shared: false);
        if (numThreads != 0) device.NumThreads = numThreads;
        return device;
    }

    /// <summary>Opens CUDA GPU number <paramref name="ordinal"/>.</summary>
    /// <exception cref="DeviceUnavailableException">CUDA is not built in or there is no such GPU.</exception>
    public static Device Cuda(int ordinal = 0) => new(DeviceKind.Cuda, ordinal, shared: false);

    /// <summary>Opens device <paramref name="ordinal"/> of <paramref name="kind"/>.</summary>
    public static Device Open(DeviceKind kind, int ordinal = 0) => new(kind, ordinal, shared: false);

    /// <summary>Whether support for <paramref name="kind"/> was compiled into libsnn.</summary>
    public static bool IsBuilt(DeviceKind kind)
    {
        NativeLibraryGate.EnsureLoaded();
        return Methods.snn_device_kind_is_built((snn_device_kind)kind) != 0;
    }

    /// <summary>How many devices of <paramref name="kind"/> can be opened (0 CUDA devices without a GPU).</summary>
    public static int Count(DeviceKind kind)
    {
        NativeLibraryGate.EnsureLoaded();
        int count;
        NativeCall.Check(Methods.snn_device_count((snn_device_kind)kind, &count));
        return count;
    }

    /// <summary>Every device this process can use, CPU first.</summary>
    public static IReadOnlyList<DeviceKind> AvailableKinds() =>
        Enum.GetValues<DeviceKind>().Where(kind => Count(kind) > 0).ToArray();

    /// <summary>CPU or CUDA.</summary>
    public DeviceKind Kind { get; }

    /// <summary>Index among devices of the same kind.</summary>
    public int Ordinal { get; }

    /// <summary>Human-readable device name (CPU model or GPU name).</summary>
    public string Name
    {
        get
        {
            var info = Info();
            return Marshal.PtrToStringUTF8((IntPtr)info.name) ?? string.Empty;
        }
    }

    /// <summary>Physical memory of the device in bytes.</summary>
    public long TotalMemoryBytes => Info().total_memory_bytes;

    /// <summary>CUDA compute capability as major * 10 + minor; 0 on the CPU.</summary>
    public int ComputeCapability => Info().compute_capability;

    /// <summary>CPU worker threads for this device's kernels (set 0 for one per core); multiprocessors on CUDA.</summary>
    public int NumThreads
    {
        get => Info().num_threads;
        set
        {
            NativeCall.Check(Methods.snn_device_set_num_threads(Pointer, value));
            GC.KeepAlive(this);
        }
    }

    /// <summary>Whether <see cref="Dispose"/> has released this device.</summary>
    public bool IsDisposed => _handle.IsClosed;

    internal snn_device* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.Pointer;
        }
    }

    /// <summary>Waits until all work submitted to this device has finished.</summary>
    public void Synchronize()
    {
        NativeCall.Check(Methods.snn_device_synchronize(Pointer));
        GC.KeepAlive(this);
    }

    /// <summary>Gives back to the system the large freed blocks (2 MiB and more) this device keeps for reuse by
    /// later tensors of a similar size (CPU: up to 1/16 of physical memory, at most 1 GiB; the reuse spares repeated
    /// calls the page faults of fresh memory). Returns the bytes given back; tensors in use are not affected.</summary>
    public long ReleaseCachedMemory()
    {
        long bytes;
        NativeCall.Check(Methods.snn_device_release_cached_memory(Pointer, &bytes));
        GC.KeepAlive(this);
        return bytes;
    }

    /// <summary>Releases the device; tensors made on it stay readable. Does nothing on <see cref="Default"/>.</summary>
    public void Dispose()
    {
        if (!_shared) _handle.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => IsDisposed ? $"Device({Kind}:{Ordinal}, disposed)" : $"Device({Kind}:{Ordinal}, {Name})";

    private snn_device_info Info()
    {
        snn_device_info info;
        NativeCall.Check(Methods.snn_device_get_info(Pointer, &info));
        GC.KeepAlive(this);
        return info;
    }
}
