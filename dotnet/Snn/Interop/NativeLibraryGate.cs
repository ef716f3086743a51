using Snn.Native;

namespace Snn.Interop;

/// <summary>
/// Loads libsnn.so on first use and checks that it implements the ABI version these bindings
/// were generated from, so a stale library fails with a clear message instead of misbehaving.
/// </summary>
internal static class NativeLibraryGate
{
    private static readonly Lazy<Exception?> Failure = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Throws <see cref="NativeLibraryException"/> if the native library is unusable.</summary>
    public static void EnsureLoaded()
    {
        if (Failure.Value is { } failure) throw failure;
    }

    private static Exception? Probe()
    {
        try
        {
            NativeLibraryLoader.Load();
        }
        catch (DllNotFoundException notFound)
        {
            return new NativeLibraryException(notFound.Message, notFound);
        }
        var expected = (uint)Methods.SNN_API_VERSION;
        var actual = Methods.snn_api_version();
        if (actual != expected && Methods.snn_supports_api_version(expected) == 0)
        {
            return new NativeLibraryException(
                $"{NativeLibraryLoader.LoadedPath} implements snn C ABI version {actual}, but this Snn assembly needs version {expected}. " +
                "Rebuild the native library from the same sources (cmake --build build) or install matching Snn packages.");
        }
        return null;
    }
}
