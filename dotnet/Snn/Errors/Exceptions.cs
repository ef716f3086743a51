namespace Snn;

/// <summary>Base of the errors snn raises that are not argument errors.</summary>
public class SnnException : Exception
{
    /// <summary>Creates the exception with the failure's code and message.</summary>
    public SnnException(ErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException) => Code = code;

    /// <summary>The native status behind this error.</summary>
    public ErrorCode Code { get; }
}

/// <summary>A value, shape or dtype the operation cannot accept; the message says which and what to pass.</summary>
public class SnnArgumentException : ArgumentException
{
    /// <summary>Creates the exception with the failure's code and message.</summary>
    public SnnArgumentException(ErrorCode code, string message) : base(message) => Code = code;

    /// <summary>The native status behind this error.</summary>
    public ErrorCode Code { get; }
}

/// <summary>Tensors given to one operation live on different devices.</summary>
public sealed class DeviceMismatchException : SnnArgumentException
{
    /// <summary>Creates the exception with the native message.</summary>
    public DeviceMismatchException(string message) : base(ErrorCode.DeviceMismatch, message) { }
}

/// <summary>The requested device is not built into this library or not present.</summary>
public sealed class DeviceUnavailableException : SnnException
{
    /// <summary>Creates the exception with the native message.</summary>
    public DeviceUnavailableException(string message) : base(ErrorCode.DeviceUnavailable, message) { }
}

/// <summary>Host or device memory ran out.</summary>
public sealed class SnnOutOfMemoryException : SnnException
{
    /// <summary>Creates the exception with the native message.</summary>
    public SnnOutOfMemoryException(string message) : base(ErrorCode.OutOfMemory, message) { }
}

/// <summary>CUDA, cuBLAS or BLAS reported a failure.</summary>
public sealed class BackendException : SnnException
{
    /// <summary>Creates the exception with the native message.</summary>
    public BackendException(string message) : base(ErrorCode.Backend, message) { }
}

/// <summary>libsnn.so could not be loaded, or it implements another version of the C ABI.</summary>
public sealed class NativeLibraryException : SnnException
{
    /// <summary>Creates the exception with a message that says what to do.</summary>
    public NativeLibraryException(string message, Exception? innerException = null)
        : base(ErrorCode.Unsupported, message, innerException) { }
}
