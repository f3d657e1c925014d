using AffectFuse.IO;

namespace AffectFuse.Benchmarks.Corpus;

/// <summary>Writes raw mono float samples as a FLAC file with the <c>ffmpeg</c> CLI.</summary>
public static class AudioFileEncoder
{
    /// <summary>Encodes <paramref name="f32"/> (little-endian float mono at <paramref name="rate"/> Hz) to
    /// <paramref name="output"/> (FLAC, 16-bit).</summary>
    public static void WriteFlac(string f32, int rate, string output, string ffmpeg = "ffmpeg")
        => ExternalTool.Run(ffmpeg, ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "f32le", "-ar", $"{rate}", "-ac", "1", "-i", f32,
            "-c:a", "flac", "-sample_fmt", "s16", "-f", "flac", output], output, "encoding FLAC");
}
