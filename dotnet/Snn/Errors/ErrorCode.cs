namespace Snn;

/// <summary>Why a native call failed; mirrors <c>snn_status</c> of the C ABI.</summary>
public enum ErrorCode
{
    /// <summary>The call succeeded.</summary>
    Ok = 0,
    /// <summary>A null handle, bad shape, dtype or parameter value.</summary>
    InvalidArgument = 1,
    /// <summary>Host or device memory ran out.</summary>
    OutOfMemory = 2,
    /// <summary>The device kind is not built in, or there is no such device.</summary>
    DeviceUnavailable = 3,
    /// <summary>Tensors of one call live on different devices.</summary>
    DeviceMismatch = 4,
    /// <summary>CUDA, cuBLAS or BLAS reported a failure.</summary>
    Backend = 5,
    /// <summary>A valid request this build or device cannot serve.</summary>
    Unsupported = 6,
    /// <summary>A bug in snn.</summary>
    Internal = 7,
}
