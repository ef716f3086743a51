using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Snn.Native;

namespace Snn.EventDriven;

/// <summary>A custom callback source did not compile; <see cref="CompilerOutput"/> holds what the compiler said.</summary>
public sealed class CallbackCompilationException : SnnArgumentException
{
    /// <summary>Creates the exception for <paramref name="sourcePath"/> with the compiler's output.</summary>
    public CallbackCompilationException(string sourcePath, string compilerOutput, string message)
        : base(ErrorCode.InvalidArgument, message)
    {
        SourcePath = sourcePath;
        CompilerOutput = compilerOutput;
    }

    /// <summary>The source that failed.</summary>
    public string SourcePath { get; }

    /// <summary>Everything the compiler printed (standard output and error).</summary>
    public string CompilerOutput { get; }
}

/// <summary>
/// Builds custom callback sources into shared libraries with the system C++ compiler (<c>$CXX</c>, else
/// <c>c++</c>), cached by content: the library for a source lives in
/// <c>&lt;compilePath&gt;/&lt;name&gt;-&lt;hash&gt;/lib&lt;name&gt;.so</c>, where the hash covers the source, the
/// callback header and the compiler command, so two files with the same name never collide and an
/// unchanged source is compiled once.
/// </summary>
internal static unsafe class CallbackCompiler
{
    private static readonly string[] Flags = ["-std=c++17", "-O2", "-fPIC", "-shared", "-fvisibility=hidden"];
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    // EvSpikeSim's header names, so that its callback sources compile unchanged: each selects the
    // EvSpikeSim section of <snn/event_callbacks.h> (namespace EvSpikeSim, CALLBACK, EvSpikeSim::vector).
    private static readonly string[] EvSpikeSimHeaders =
        ["evspikesim/Layers/EligibilityTraces.h", "evspikesim/Misc/Decorators.h", "evspikesim/Misc/ContainerTypes.h"];
    private const string EvSpikeSimHeader =
        "// EvSpikeSim's callback interface on snn (docs/event-driven.md)\n#pragma once\n" +
        "#define SNN_EVENT_CALLBACKS_EVSPIKESIM 1\n#include <snn/event_callbacks.h>\n";

    /// <summary>The path of the compiled library for <paramref name="sourcePath"/>, compiling it when needed.</summary>
    public static string Build(string sourcePath, string compilePath)
    {
        var source = Path.GetFullPath(sourcePath);
        if (!File.Exists(source))
            throw new FileNotFoundException(
                $"callback source {source} does not exist; pass the path of a C++ file implementing <snn/event_callbacks.h> " +
                "(examples/event_driven/stdp.cpp is one).", source);
        var code = File.ReadAllBytes(source);
        var header = Marshal.PtrToStringUTF8((IntPtr)Methods.snn_event_callbacks_header()) ?? "";
        var compiler = Environment.GetEnvironmentVariable("CXX") is { Length: > 0 } cxx ? cxx : "c++";

        var name = new string(Path.GetFileNameWithoutExtension(source).Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray());
        var key = SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes($"{header}\n{EvSpikeSimHeader}\n{compiler} {string.Join(' ', Flags)}\n"), .. code]);
        var folder = Path.Combine(Path.GetFullPath(compilePath), $"{name}-{Convert.ToHexStringLower(key)[..16]}");
        var library = Path.Combine(folder, $"lib{name}.so");
        if (File.Exists(library)) return library;

        var include = Path.Combine(folder, "include");
        Directory.CreateDirectory(Path.Combine(include, "snn"));
        File.WriteAllText(Path.Combine(include, "snn", "event_callbacks.h"), header);
        foreach (var compat in EvSpikeSimHeaders)
        {
            var path = Path.Combine(include, compat);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, EvSpikeSimHeader);
        }
        var copy = Path.Combine(folder, Path.GetFileName(source));  // compile exactly the bytes that were hashed
        File.WriteAllBytes(copy, code);
        var partial = $"{library}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";

        var start = new ProcessStartInfo(compiler)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var flag in Flags) start.ArgumentList.Add(flag);
        foreach (var argument in new[] { "-I", include, "-o", partial, copy }) start.ArgumentList.Add(argument);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception($"could not start {compiler}");
        }
        catch (Win32Exception e)
        {
            throw new CallbackCompilationException(source, "",
                $"no C++ compiler could be started as '{compiler}' ({e.Message}); install one (Debian: apt-get install g++) or set CXX to its path.");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new CallbackCompilationException(source, "", $"compiling {source} took longer than {Timeout.TotalMinutes} minutes; the compiler was stopped.");
            }
            var output = (stdout.Result + stderr.Result).Trim();
            if (process.ExitCode != 0)
            {
                File.Delete(partial);
                throw new CallbackCompilationException(source, output,
                    $"compiling {source} failed ({compiler} exit code {process.ExitCode}); fix the source. The compiler said:\n{output}");
            }
        }
        File.Move(partial, library, overwrite: true);  // atomic: a concurrent build of the same source is harmless
        return library;
    }
}
