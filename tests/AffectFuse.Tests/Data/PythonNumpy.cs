using Xunit;
using System.Diagnostics;

namespace AffectFuse.Tests.Data;

/// <summary>Runs a script with Debian's /usr/bin/python3, the interpreter that sees python3-numpy (facts.md).
/// A missing interpreter or numpy fails the test: the setup installs them.</summary>
public static class PythonNumpy
{
    private const string Interpreter = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/>; returns stdout, fails on a non-zero exit.</summary>
    public static string Run(string script, params string[] args)
    {
        Assert.True(File.Exists(Interpreter), $"{Interpreter} is missing; install python3 and python3-numpy");
        string scriptFile = Path.Combine(Path.GetTempPath(), $"affectfuse-{Guid.NewGuid():N}.py");
        File.WriteAllText(scriptFile, "import numpy as np\n" + script);
        try
        {
            var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(scriptFile);
            foreach (string a in args) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"python failed ({process.ExitCode}):\n{stderr.Result}\n{stdout}");
            return stdout;
        }
        finally
        {
            File.Delete(scriptFile);
        }
    }
}
