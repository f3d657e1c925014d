using System.ComponentModel;
using System.Diagnostics;

namespace AffectFuse.IO;

/// <summary>Runs a command-line tool (ffmpeg, espeak-ng) to completion; a missing tool or a failure is one
/// <see cref="AffectFuseException"/> line naming <c>file</c> with the tool's last error line.</summary>
internal static class ExternalTool
{
    /// <summary>Runs <paramref name="program"/> with <paramref name="args"/>; <paramref name="doing"/> says what for (in errors).</summary>
    public static void Run(string program, IEnumerable<string> args, string? file, string doing) => Output(program, args, file, doing);

    /// <summary>Runs <paramref name="program"/> and returns what it wrote to stdout; <paramref name="install"/> says how to
    /// get a missing program (default: <c>apt install PROGRAM</c>).</summary>
    public static string Output(string program, IEnumerable<string> args, string? file, string doing, string? install = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new AffectFuseException(file, $"could not start {program} {doing}");
        }
        catch (Win32Exception)
        {
            throw new AffectFuseException(file, $"{program} is not installed (needed {doing}; {install ?? "apt install " + program})");
        }
        using (process)
        {
            // Drain stdout concurrently so a chatty tool cannot block on a full pipe while we read stderr.
            var stdout = process.StandardOutput.ReadToEndAsync();
            string err = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new AffectFuseException(file, $"{program} failed {doing}: {err.Trim().Split('\n').LastOrDefault()?.Trim()}");
            return stdout.Result;
        }
    }
}
