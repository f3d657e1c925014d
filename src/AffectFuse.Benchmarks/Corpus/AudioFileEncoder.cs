using System.ComponentModel;
using System.Diagnostics;

namespace AffectFuse.Benchmarks.Corpus;

/// <summary>Writes raw mono float samples as a FLAC file with the <c>ffmpeg</c> CLI.</summary>
public static class AudioFileEncoder
{
    /// <summary>Encodes <paramref name="f32"/> (little-endian float mono at <paramref name="rate"/> Hz) to
    /// <paramref name="output"/> (FLAC, 16-bit).</summary>
    public static void WriteFlac(string f32, int rate, string output, string ffmpeg = "ffmpeg")
    {
        var info = new ProcessStartInfo(ffmpeg) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "f32le", "-ar", $"{rate}", "-ac", "1", "-i", f32,
                     "-c:a", "flac", "-sample_fmt", "s16", "-f", "flac", output })
            info.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(info) ?? throw new AffectFuseException(null, $"could not start {ffmpeg}"); }
        catch (Win32Exception e) { throw new AffectFuseException(ffmpeg, "ffmpeg not found or not runnable; install it (e.g. apt-get install ffmpeg)", e); }
        using (process)
        {
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new AffectFuseException(output, $"ffmpeg failed (exit {process.ExitCode}): {error.Trim().ReplaceLineEndings(" ")}");
        }
    }
}
