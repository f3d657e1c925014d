using System.Runtime.InteropServices;

namespace AffectFuse.IO;

/// <summary>A path with every symbolic link resolved, so that two names of one file or folder compare equal.</summary>
/// <remarks>.NET resolves only a path's last link (<see cref="FileSystemInfo.ResolveLinkTarget"/>), not links in the
/// middle of it; POSIX realpath(3) resolves them all. Elsewhere the full path is used.</remarks>
internal static class RealPath
{
    /// <summary>The canonical path of an existing <paramref name="path"/>; the full path when it cannot be resolved.</summary>
    public static string Of(string path)
    {
        string full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
            return full;
        IntPtr resolved = realpath(full, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
            return full;
        try
        {
            return Marshal.PtrToStringUTF8(resolved) ?? full;
        }
        finally
        {
            free(resolved);
        }
    }

    // DllImport, not LibraryImport: the generated stub needs unsafe code, and strings marshal as UTF-8 on Unix anyway.
    [DllImport("libc", CharSet = CharSet.Ansi)]
    private static extern IntPtr realpath(string path, IntPtr resolved);

    [DllImport("libc")]
    private static extern void free(IntPtr pointer);
}
