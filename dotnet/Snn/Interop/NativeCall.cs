using System.Runtime.InteropServices;
using Snn.Native;

namespace Snn.Interop;

/// <summary>The one place where native statuses become typed exceptions.</summary>
internal static unsafe class NativeCall
{
    /// <summary>Throws the exception that matches <paramref name="status"/>, with the native message.</summary>
    public static void Check(snn_status status)
    {
        if (status == snn_status.SNN_OK) return;
        var message = Marshal.PtrToStringUTF8((IntPtr)Methods.snn_last_error_message());
        if (string.IsNullOrEmpty(message)) message = $"snn call failed with {status} and left no message";
        throw status switch
        {
            snn_status.SNN_ERROR_INVALID_ARGUMENT => new SnnArgumentException(ErrorCode.InvalidArgument, message),
            snn_status.SNN_ERROR_DEVICE_MISMATCH => new DeviceMismatchException(message),
            snn_status.SNN_ERROR_DEVICE_UNAVAILABLE => new DeviceUnavailableException(message),
            snn_status.SNN_ERROR_OUT_OF_MEMORY => new SnnOutOfMemoryException(message),
            snn_status.SNN_ERROR_BACKEND => new BackendException(message),
            snn_status.SNN_ERROR_UNSUPPORTED => new NotSupportedException(message),
            _ => new SnnException(ErrorCode.Internal, message),
        };
    }
}
