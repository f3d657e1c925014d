using System.Runtime.InteropServices;

namespace AffectFuse.Features;

/// <summary>Returns freed native heap memory to the operating system (glibc <c>malloc_trim</c>).</summary>
/// <remarks>libtorch, OpenCV and ONNX Runtime allocate through malloc on several threads. After large blocks are freed,
/// glibc raises its mmap threshold, so later large blocks come from the heaps, whose freed middle pages it never hands
/// back: resident memory then grew with the video's length (a 10-minute video peaked 1.37× a 1-minute one). Trimming
/// now and then keeps it flat. A no-op where glibc is absent.</remarks>
internal static class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux();

    public static void Trim()
    {
        if (_unavailable)
            return;
        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true; // musl and other C libraries
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
