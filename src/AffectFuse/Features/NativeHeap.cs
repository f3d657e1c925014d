using System.Runtime.InteropServices;

namespace AffectFuse.Features;

/// <summary>glibc's heap policy for the native libraries (libtorch, OpenCV, ONNX Runtime), and returning freed memory to
/// the operating system (<c>malloc_trim</c>). A no-op where glibc is absent.</summary>
/// <remarks>By default glibc serves blocks above a moving threshold with fresh <c>mmap</c>s and unmaps them on free, so each
/// batch's activations (a few MiB) page-fault in anew: on a virtual machine the faults cost more than the convolutions
/// (the mini-Xception ran at a third of its speed). A fixed threshold above the largest activation keeps those blocks in
/// the heap, reused from batch to batch. The heaps' freed middle pages are never handed back by glibc on its own, so
/// resident memory grows with the video's length unless <see cref="Trim"/> runs now and then (a 10-minute video peaked
/// 1.37× a 1-minute one without it, 1.18× with the fixed threshold alone).</remarks>
internal static class NativeHeap
{
    // mallopt parameters from glibc's malloc.h.
    private const int TrimThresholdParameter = -1, MmapThresholdParameter = -3;

    /// <summary>Blocks below this come from the heap and are reused (glibc's ceiling for the threshold is 32 MiB).</summary>
    private const int MmapThreshold = 32 << 20;

    /// <summary>Free memory at the top of a heap kept rather than handed back at each free: more than one batch's
    /// activations (face-api's exceed 64 MiB at batch 32), else every batch would fault them in again.</summary>
    private const int TrimThreshold = 256 << 20;

    private static bool _unavailable = !OperatingSystem.IsLinux();
    private static int _configured;

    /// <summary>Sets the heap policy once per process (later calls do nothing).</summary>
    public static void Configure()
    {
        if (Interlocked.Exchange(ref _configured, 1) == 1)
            return;
        Call(() =>
        {
            Mallopt(MmapThresholdParameter, MmapThreshold);
            Mallopt(TrimThresholdParameter, TrimThreshold);
        });
    }

    /// <summary>Hands the heaps' free memory back to the operating system.</summary>
    public static void Trim() => Call(() => MallocTrim(0));

    private static void Call(Action call)
    {
        if (_unavailable)
            return;
        try
        {
            call();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true; // musl and other C libraries
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);
}
