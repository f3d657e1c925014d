using System.Diagnostics;
using System.Globalization;
using AffectFuse.IO;

namespace AffectFuse.Training;

/// <summary>Test hook, not a feature: with <c>AFFECTFUSE_FAULT=save:E:N</c> in the environment, the process kills itself
/// (SIGKILL, as <c>kill -9</c> would: no finally blocks, no flushing) at the N-th write point of epoch E's save. A write
/// point is before a file is written, before its temporary file is renamed into place, or after; the save of an epoch
/// has three per file it writes. It proves that a run killed anywhere in its save resumes to the same result.</summary>
/// <remarks>Read only when an epoch is saved, so it costs nothing elsewhere.</remarks>
internal static class SaveFaults
{
    /// <summary>The environment variable.</summary>
    public const string Variable = "AFFECTFUSE_FAULT";

    /// <summary>Arms the fault for the save of <paramref name="epoch"/> when the variable names it; null otherwise.</summary>
    public static IDisposable? Arm(int epoch)
    {
        string? spec = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(spec))
            return null;
        var (faultEpoch, point) = Parse(spec);
        if (faultEpoch != epoch)
            return null;
        int reached = 0;
        return AtomicFile.Observe(what =>
        {
            if (++reached != point)
                return;
            // The test reads this line to learn which point it hit.
            Console.Error.WriteLine($"fault: killed at save point {point} of epoch {epoch} ({what})");
            Console.Error.Flush();
            Process.GetCurrentProcess().Kill();
        });
    }

    private static (int Epoch, int Point) Parse(string spec)
    {
        string[] parts = spec.Split(':');
        if (parts.Length == 3 && parts[0] == "save"
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int epoch)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int point) && point > 0)
            return (epoch, point);
        throw new AffectFuseException(Variable, $"'{spec}' is not save:EPOCH:POINT");
    }
}
