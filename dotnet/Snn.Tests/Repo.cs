using System.Runtime.InteropServices;

namespace Snn.Tests;

/// <summary>Locations inside the repository the tests run from.</summary>
internal static class Repo
{
    public static string Root { get; } = Find();

    /// <summary>Where scenario outputs go: $SNN_SCENARIO_OUT, else tests/out.</summary>
    public static string ScenarioOutput =>
        Environment.GetEnvironmentVariable("SNN_SCENARIO_OUT") is { Length: > 0 } path ? path : Path.Combine(Root, "tests", "out");

    /// <summary>Writes a case's float32 arrays as raw files NAME.bin into a fresh folder
    /// ScenarioOutput/csharp/<paramref name="relative"/>, which python/tests/parity.py compares with Python's.</summary>
    public static void WriteCase(string relative, IEnumerable<(string Name, float[] Values)> arrays)
    {
        var folder = Path.Combine(ScenarioOutput, "csharp", relative);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        foreach (var (name, values) in arrays)
            File.WriteAllBytes(Path.Combine(folder, name + ".bin"), MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Bindings.sln"))) return dir.FullName;
        throw new InvalidOperationException("tests must run inside the snn repository");
    }
}
