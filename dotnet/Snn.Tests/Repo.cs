namespace Snn.Tests;

/// <summary>Locations inside the repository the tests run from.</summary>
internal static class Repo
{
    public static string Root { get; } = Find();

    /// <summary>Where scenario outputs go: $SNN_SCENARIO_OUT, else tests/out.</summary>
    public static string ScenarioOutput =>
        Environment.GetEnvironmentVariable("SNN_SCENARIO_OUT") is { Length: > 0 } path ? path : Path.Combine(Root, "tests", "out");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Bindings.sln"))) return dir.FullName;
        throw new InvalidOperationException("tests must run inside the snn repository");
    }
}
