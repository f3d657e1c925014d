namespace AffectFuse.IO;

/// <summary>Process resident-set figures from /proc/self/status (Linux): current RSS and peak RSS since the last reset.</summary>
/// <remarks>Native libtorch allocations are invisible to the .NET GC, so the kernel's view is the honest one.</remarks>
internal static class ProcessMemory
{
    /// <summary>True where /proc/self/status exists.</summary>
    public static bool Available => File.Exists("/proc/self/status");

    /// <summary>Resets the peak (VmHWM) to the current RSS by writing 5 to /proc/self/clear_refs; false where not permitted.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Current resident set in bytes (VmRSS), or -1.</summary>
    public static long CurrentBytes() => Read("VmRSS:");

    /// <summary>Peak resident set in bytes since start or the last <see cref="ResetPeak"/> (VmHWM), or -1.</summary>
    public static long PeakBytes() => Read("VmHWM:");

    private static long Read(string key)
    {
        if (!Available) return -1;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
            var parts = line[key.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;   // reported in kB
        }
        return -1;
    }
}
