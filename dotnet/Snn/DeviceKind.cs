namespace Snn;

/// <summary>Kinds of compute device; values match <c>snn_device_kind</c>.</summary>
public enum DeviceKind
{
    /// <summary>The host processor: multithreaded, vectorised kernels and OpenBLAS.</summary>
    Cpu = 0,
    /// <summary>An NVIDIA GPU through CUDA and cuBLAS.</summary>
    Cuda = 1,
}
