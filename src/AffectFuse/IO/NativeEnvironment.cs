using System.Runtime.InteropServices;

namespace AffectFuse.IO;

/// <summary>Environment variables that native libraries (OpenCV, its FFmpeg) read with getenv: .NET's own environment
/// block is not libc's on Unix, so <see cref="Environment.SetEnvironmentVariable(string, string)"/> alone does not reach them.</summary>
internal static class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> for native code and for .NET unless it is set already (a value the user set
    /// wins). Does nothing on Windows, where the two blocks are one.</summary>
    public static void SetDefault(string name, string value)
    {
        if (OperatingSystem.IsWindows() || Environment.GetEnvironmentVariable(name) is not null)
            return;
        _ = setenv(name, value, 0);
        Environment.SetEnvironmentVariable(name, value);
    }

    // Plain DllImport (LibraryImport needs unsafe code enabled); ANSI strings are UTF-8 on Unix.
    [DllImport("libc", CharSet = CharSet.Ansi)]
    private static extern int setenv(string name, string value, int overwrite);
}
