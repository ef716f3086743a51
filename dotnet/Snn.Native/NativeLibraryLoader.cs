using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Snn.Native;

/// <summary>
/// Finds and loads libsnn.so for the generated <c>[DllImport("snn")]</c> declarations.
/// Search order: the path in <c>SNN_NATIVE_LIBRARY</c> (a file or a folder), the folder of this
/// assembly, its <c>runtimes/linux-x64/native</c> subfolder, the application base folder, and the
/// native search folders of the host (NuGet packages). A failure names every place tried.
/// </summary>
public static class NativeLibraryLoader
{
    /// <summary>Name used by the generated DllImport declarations.</summary>
    public const string LibraryName = "snn";

    /// <summary>Environment variable naming libsnn.so or the folder that holds it.</summary>
    public const string PathVariable = "SNN_NATIVE_LIBRARY";

    private const string FileName = "libsnn.so";
    private static readonly object Gate = new();
    private static IntPtr s_handle;

    /// <summary>Full path of the loaded library, or null before the first load.</summary>
    public static string? LoadedPath { get; private set; }

    // A library-level module initializer is the point here: the resolver must be in place before
    // the first generated P/Invoke runs, whoever makes it.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == LibraryName ? Load() : IntPtr.Zero;

    /// <summary>Loads libsnn.so once per process and returns its handle.</summary>
    /// <exception cref="DllNotFoundException">No candidate could be loaded; the message lists them.</exception>
    public static IntPtr Load()
    {
        lock (Gate)
        {
            if (s_handle != IntPtr.Zero) return s_handle;
            var tried = new List<string>();
            foreach (var candidate in Candidates())
            {
                if (!File.Exists(candidate))
                {
                    tried.Add($"{candidate} (not found)");
                    continue;
                }
                if (NativeLibrary.TryLoad(candidate, out var handle))
                {
                    s_handle = handle;
                    LoadedPath = candidate;
                    return handle;
                }
                tried.Add($"{candidate} (exists but could not be loaded: wrong architecture or missing dependency such as libopenblas0; check with 'ldd {candidate}')");
            }
            throw new DllNotFoundException(
                $"snn could not load its native library {FileName}. Looked in:{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", tried) + Environment.NewLine +
                $"Build it with 'cmake -S . -B build && cmake --build build', or set {PathVariable} to the file or its folder.");
        }
    }

    private static IEnumerable<string> Candidates()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            yield return Directory.Exists(fromEnvironment) ? Path.Combine(fromEnvironment, FileName) : fromEnvironment;

        var folders = new List<string>();
        var assemblyFolder = Path.GetDirectoryName(typeof(NativeLibraryLoader).Assembly.Location);
        if (!string.IsNullOrEmpty(assemblyFolder)) folders.Add(assemblyFolder);
        folders.Add(AppContext.BaseDirectory);
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirectories)
            folders.AddRange(searchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            foreach (var path in new[] { Path.Combine(folder, FileName), Path.Combine(folder, "runtimes", "linux-x64", "native", FileName) })
            {
                var full = Path.GetFullPath(path);
                if (seen.Add(full)) yield return full;
            }
        }
    }
}
