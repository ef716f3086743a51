using System.Diagnostics;

namespace Snn.Tests;

/// <summary>Library loading is process-wide, so failures are tested in a child process running the CLI.</summary>
public class NativeLibraryTests
{
    [Fact]
    public void VersionsAgree()
    {
        Assert.Equal(Library.ExpectedAbiVersion, Library.AbiVersion);
        Assert.Matches(@"^\d+\.\d+\.\d+$", Library.Version);
        Assert.EndsWith("libsnn.so", Library.NativePath);
    }

    [Fact]
    public void AbiMismatchFailsWithAClearMessage()
    {
        var fixture = Path.Combine(Repo.Root, "build", "test-fixtures", "bad-abi", "libsnn.so");
        Assert.True(File.Exists(fixture), $"{fixture} is built by CMake with the native library");
        var (code, output) = RunCli(fixture, "version");
        Assert.Equal(1, code);
        Assert.Contains("NativeLibraryException", output);
        Assert.Contains("ABI version 999", output);
        Assert.Contains("needs version", output);
    }

    [Fact]
    public void MissingLibraryListsWhereItLooked()
    {
        var missing = Path.Combine(Path.GetTempPath(), "snn-no-such-dir", "libsnn.so");
        var (code, output) = RunCli(missing, "version", isolate: true);
        Assert.Equal(1, code);
        Assert.Contains("could not load its native library", output);
        Assert.Contains($"{missing} (not found)", output);
        Assert.Contains("SNN_NATIVE_LIBRARY", output);
    }

    private static (int Code, string Output) RunCli(string libraryPath, string command, bool isolate = false)
    {
        var cliFolder = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "Snn.Cli", "bin");
        var cli = Directory.EnumerateFiles(cliFolder, "Snn.Cli.dll", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).First();
        if (isolate)
        {
            // Copy the CLI without its bundled libsnn.so so no fallback location can succeed.
            var copy = Directory.CreateTempSubdirectory("snn-cli-");
            foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(cli)!))
                File.Copy(file, Path.Combine(copy.FullName, Path.GetFileName(file)));
            cli = Path.Combine(copy.FullName, "Snn.Cli.dll");
        }
        var start = new ProcessStartInfo("dotnet", [cli, command]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["SNN_NATIVE_LIBRARY"] = libraryPath;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
