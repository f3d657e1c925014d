using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AffectFuse.IO;

/// <summary>CPU time consumed so far by the calling thread or by the whole process, in nanoseconds (Linux
/// <c>clock_gettime</c>); elsewhere the thread's clock falls back to a wall clock, which over-counts a thread that waits
/// or is pre-empted, and the process's to <see cref="System.Diagnostics.Process.TotalProcessorTime"/>.</summary>
/// <remarks>A thread's wall time on a loaded two-core machine includes the time other threads held the core, so only the
/// thread's own CPU clock says what a stage costs. One reading costs about a microsecond (a system call on a VM).</remarks>
internal static class CpuClock
{
    private const int ProcessClock = 2, ThreadClock = 3; // CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID in <time.h>

    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>The calling thread's CPU time (ns), or a monotonic wall clock where that is not available.</summary>
    public static long Thread() => Read(ThreadClock) ?? (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));

    /// <summary>The process's CPU time (ns), every thread included.</summary>
    public static long Process()
    {
        if (Read(ProcessClock) is long ns)
            return ns;
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.TotalProcessorTime.Ticks * 100;
    }

    private static long? Read(int clock)
    {
        if (_unavailable)
            return null;
        try
        {
            if (ClockGetTime(clock, out var t) == 0)
                return t.Seconds * 1_000_000_000 + t.Nanoseconds;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
        _unavailable = true;
        return null;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
}
