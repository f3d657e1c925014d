using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AffectFuse.IO;

/// <summary>CPU time consumed by the calling thread, in nanoseconds (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>); elsewhere a
/// wall clock, which over-counts a thread that waits or is pre-empted.</summary>
/// <remarks>A thread's wall time on a loaded two-core machine includes the time other threads held the core, so only the
/// thread's own CPU clock says what a stage costs. One reading costs about a microsecond (a system call on a VM).</remarks>
internal static class ThreadCpuTime
{
    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID in <time.h>

    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>The calling thread's CPU time so far (ns), or a monotonic wall clock where that is not available.</summary>
    public static long Now()
    {
        if (!_unavailable)
        {
            try
            {
                if (ClockGetTime(ThreadCpuClock, out var t) == 0)
                    return t.Seconds * 1_000_000_000 + t.Nanoseconds;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
            }
            _unavailable = true;
        }
        return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
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
