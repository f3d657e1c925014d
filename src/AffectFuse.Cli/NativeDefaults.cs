using System.Runtime.InteropServices;
using AffectFuse.IO;

namespace AffectFuse.Cli;

/// <summary>What the checkout's <c>./affectfuse</c> script exports before starting the program, applied by the program
/// itself so an installed tool (started by its own launcher, no script) behaves the same. A value the user set wins.</summary>
internal static class NativeDefaults
{
    private const int MallocArenaMax = -8; // M_ARENA_MAX in glibc's malloc.h

    /// <summary>Applies the defaults; call first thing, before any native library is loaded.</summary>
    public static void Apply()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            // OpenCV reads this with getenv when it loads; .NET's own environment block is not libc's, so it goes through
            // setenv. A bad video is then reported in AffectFuse's one line, without OpenCV's chatter. (FFmpeg's own level
            // is set by the library's VideoDecoder, for library users too.)
            NativeEnvironment.SetDefault("OPENCV_LOG_LEVEL", "SILENT");
            // glibc gives each allocating thread its own arena (up to 8 per core), which lets native memory creep up on
            // long videos; two keep it flat (the script's MALLOC_ARENA_MAX=2, which glibc reads only at start-up).
            if (Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is null)
                _ = mallopt(MallocArenaMax, 2);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has no mallopt arenas): nothing to tune.
        }
    }

    [DllImport("libc")]
    private static extern int mallopt(int param, int value);
}
