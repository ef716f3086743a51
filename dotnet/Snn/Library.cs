using System.Runtime.InteropServices;
using Snn.Interop;
using Snn.Native;

namespace Snn;

/// <summary>Facts about the loaded native library.</summary>
public static unsafe class Library
{
    /// <summary>Release of libsnn, "major.minor.patch".</summary>
    public static string Version
    {
        get
        {
            NativeLibraryGate.EnsureLoaded();
            return Marshal.PtrToStringUTF8((IntPtr)Methods.snn_version_string()) ?? string.Empty;
        }
    }

    /// <summary>C ABI version libsnn implements.</summary>
    public static int AbiVersion
    {
        get
        {
            NativeLibraryGate.EnsureLoaded();
            return (int)Methods.snn_api_version();
        }
    }

    /// <summary>C ABI version these bindings were generated from.</summary>
    public static int ExpectedAbiVersion => Methods.SNN_API_VERSION;

    /// <summary>Path of the loaded libsnn.so.</summary>
    public static string NativePath
    {
        get
        {
            NativeLibraryGate.EnsureLoaded();
            return NativeLibraryLoader.LoadedPath ?? string.Empty;
        }
    }
}
