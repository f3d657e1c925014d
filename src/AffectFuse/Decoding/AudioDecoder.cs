using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace AffectFuse.Decoding;

/// <summary>Decodes a media file's first audio track to 16 kHz mono float32 PCM by running the <c>ffmpeg</c> CLI
/// (<c>ffprobe</c> tells which streams a file holds: <see cref="Probe"/>).</summary>
internal sealed class AudioDecoder
{
    /// <summary>Sample rate of the decoded PCM.</summary>
    public const int SampleRate = 16000;

    /// <summary>The ffmpeg program (name on PATH or full path).</summary>
    public string FfmpegPath { get; }

    /// <summary>The ffprobe program (name on PATH or full path).</summary>
    public string FfprobePath { get; }

    /// <summary>Uses the given programs; defaults are the ones on PATH.</summary>
    public AudioDecoder(string ffmpegPath = "ffmpeg", string ffprobePath = "ffprobe")
    {
        FfmpegPath = ffmpegPath;
        FfprobePath = ffprobePath;
    }

    /// <summary>Which streams the file holds, as FFmpeg sees them (one ffprobe run). A file ffprobe cannot read is an
    /// <see cref="AffectFuseException"/> with ffprobe's reason.</summary>
    public MediaStreams Probe(string mediaPath)
    {
        string full = RequireFile(mediaPath);
        var psi = NewStartInfo(FfprobePath);
        foreach (string a in new[]
                 {
                     "-v", "error", "-show_entries", "format=duration:stream=codec_type:stream_disposition=attached_pic", "-of", "json",
                     FfmpegInput(full),
                 })
            psi.ArgumentList.Add(a);
        using var process = Start(psi, mediaPath);
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new AffectFuseException(mediaPath, $"not a readable video or audio file ({OneLineReason(stderr.Result, full, process.ExitCode)})");
        return ParseProbe(mediaPath, stdout);
    }

    /// <summary>True when the file has at least one audio stream; a file ffprobe cannot read is an
    /// <see cref="AffectFuseException"/> with ffprobe's reason.</summary>
    public bool HasAudioTrack(string mediaPath) => Probe(mediaPath).HasAudio;

    /// <summary>Starts decoding; returns null when the file has no audio track (not an error: the caller writes an
    /// all-false audio mask). Read the PCM in chunks from the returned reader, so memory stays bounded.</summary>
    /// <paramref name="filter"/> is an FFmpeg audio filter chain run before the conversion to 16 kHz mono (e.g. the
    /// training corpus's speed change); null decodes the track as it is.
    public AudioPcmReader? Open(string mediaPath, string? filter = null) => HasAudioTrack(mediaPath) ? Decode(mediaPath, filter) : null;

    /// <summary>Starts decoding the first audio track of a file <see cref="Probe"/> has shown to have one.</summary>
    internal AudioPcmReader Decode(string mediaPath, string? filter = null)
    {
        string full = Path.GetFullPath(mediaPath);
        var psi = NewStartInfo(FfmpegPath);
        string[] filtering = filter is null ? [] : ["-af", filter];
        foreach (string a in (string[])
                 [
                     "-nostdin", "-hide_banner", "-loglevel", "error", "-i", FfmpegInput(full),
                     "-map", "0:a:0", "-vn", "-sn", "-dn", .. filtering, "-ac", "1", "-ar", SampleRate.ToString(), "-f", "f32le", "-",
                 ])
            psi.ArgumentList.Add(a);
        return new AudioPcmReader(Start(psi, mediaPath), mediaPath, full);
    }

    private static MediaStreams ParseProbe(string mediaPath, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        bool video = false, audio = false;
        if (root.TryGetProperty("streams", out var streams))
        {
            foreach (var stream in streams.EnumerateArray())
            {
                string? type = stream.TryGetProperty("codec_type", out var t) ? t.GetString() : null;
                bool cover = stream.TryGetProperty("disposition", out var d) && d.TryGetProperty("attached_pic", out var pic) && pic.GetInt32() == 1;
                video |= type == "video" && !cover;
                audio |= type == "audio";
            }
        }
        double? duration = root.TryGetProperty("format", out var format) && format.TryGetProperty("duration", out var text)
            && double.TryParse(text.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0 && double.IsFinite(seconds)
            ? seconds : null;
        return new MediaStreams(mediaPath, video, audio, duration);
    }

    /// <summary>Decodes the whole track into one array (for short files), through <paramref name="filter"/> as
    /// <see cref="Open"/> says; null when there is no audio track.</summary>
    public float[]? DecodeAll(string mediaPath, string? filter = null)
    {
        using var reader = Open(mediaPath, filter);
        if (reader is null)
            return null;
        var all = new List<float>(SampleRate * 10);
        var buffer = new float[SampleRate];
        int n;
        while ((n = reader.Read(buffer)) > 0)
            all.AddRange(buffer.AsSpan(0, n));
        return all.ToArray();
    }

    // ffprobe would wait forever on a named pipe with no writer: refused, like an empty file, before it runs.
    private static string RequireFile(string mediaPath)
    {
        IO.InputFile.RequireContent(mediaPath, "video or audio file");
        return Path.GetFullPath(mediaPath);
    }

    // The file: protocol stops ffmpeg from reading a colon in a file name as a protocol prefix.
    private static string FfmpegInput(string fullPath) => "file:" + fullPath;

    private static ProcessStartInfo NewStartInfo(string program) => new(program)
    {
        UseShellExecute = false,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        RedirectStandardInput = false,
        CreateNoWindow = true,
    };

    private static Process Start(ProcessStartInfo psi, string mediaPath)
    {
        try
        {
            return Process.Start(psi) ?? throw new AffectFuseException(mediaPath, $"could not start {psi.FileName}");
        }
        catch (Win32Exception e)
        {
            throw new AffectFuseException(null,
                $"cannot decode audio of {mediaPath}: '{psi.FileName}' could not be run ({e.Message}); install FFmpeg (e.g. apt-get install ffmpeg) so that ffmpeg and ffprobe are on PATH",
                e);
        }
    }

    /// <summary>The last non-empty line ffmpeg/ffprobe printed, without the repeated file name.</summary>
    internal static string OneLineReason(string stderr, string fullPath, int exitCode)
    {
        string? last = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (string.IsNullOrEmpty(last))
            return $"ffmpeg exited with code {exitCode}";
        foreach (string prefix in new[] { FfmpegInput(fullPath) + ": ", fullPath + ": " })
        {
            if (last.StartsWith(prefix, StringComparison.Ordinal))
                return last[prefix.Length..];
        }
        return last;
    }
}
