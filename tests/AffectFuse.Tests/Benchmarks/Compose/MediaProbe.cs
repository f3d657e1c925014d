using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AffectFuse.Tests.Benchmarks.Compose;

/// <summary>ffprobe/ffmpeg as an independent reader of the composed files.</summary>
internal static class MediaProbe
{
    public static string Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} failed: {stderr.Result}");
        return output;
    }

    /// <summary>Frames the decoder actually delivers (ffprobe -count_frames).</summary>
    public static int DecodedFrames(string video) =>
        int.Parse(Run("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", video).Trim());

    /// <summary>Codec names of every stream, e.g. ["h264", "aac"].</summary>
    public static string[] Codecs(string video) =>
        Run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", video).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The audio track decoded to mono float at <paramref name="rate"/> Hz.</summary>
    public static float[] DecodeAudio(string video, int rate)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-v", "error", "-i", video, "-vn", "-ac", "1", "-ar", $"{rate}", "-f", "f32le", "pipe:1" }) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        using var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg failed: {stderr.Result}");
        return MemoryMarshal.Cast<byte, float>(ms.ToArray().AsSpan()).ToArray();
    }
}
