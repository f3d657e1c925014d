using System.Diagnostics;

namespace AffectFuse.Tests;

/// <summary>Runs the command-line tool as a child process (the build next to the tests), for what in-process runs cannot
/// show: a process that is killed.</summary>
public static class CliProcess
{
    /// <summary>The tool's assembly, copied beside the tests by the project reference.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "AffectFuse.Cli.dll");

    /// <summary>Starts the tool with <paramref name="args"/> and <paramref name="environment"/> added to this process's.</summary>
    public static Process Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (string a in args)
            info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>What the last <see cref="Run"/> on this thread wrote to stdout.</summary>
    [ThreadStatic] public static string LastOutput = "";

    /// <summary>Runs the tool to its end; its exit code and stderr (stdout in <see cref="LastOutput"/>).</summary>
    public static (int Code, string Error) Run(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Start(environment, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"affectfuse {string.Join(' ', args)} ran over 2 minutes");
        }
        process.WaitForExit();
        LastOutput = output.Result;
        return (process.ExitCode, error.Result);
    }
}
