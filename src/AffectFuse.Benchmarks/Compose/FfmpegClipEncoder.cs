using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using OpenCvSharp;

namespace AffectFuse.Benchmarks.Compose;

/// <summary>Encodes raw BGR frames piped to the <c>ffmpeg</c> CLI's stdin, plus a mono float sound track from a file,
/// into H.264 (libx264, yuv420p) + AAC in an .mp4.</summary>
public sealed class FfmpegClipEncoder : IDisposable
{
    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly string _output;
    private readonly StringBuilder _stderr = new();
    private readonly byte[] _buffer;
    private int _frames;

    /// <summary>Starts ffmpeg writing <paramref name="output"/>; <paramref name="audioF32"/> is raw little-endian
    /// float mono at <paramref name="audioRate"/> Hz, or null for a video without a sound track.</summary>
    public FfmpegClipEncoder(string output, ComposeOptions options, string? audioF32, int audioRate, string ffmpeg = "ffmpeg")
    {
        _output = output;
        _buffer = new byte[options.Width * options.Height * 3];
        var info = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string a in Arguments(output, options, audioF32, audioRate))
            info.ArgumentList.Add(a);
        try
        {
            _process = Process.Start(info) ?? throw new AffectFuseException(null, $"could not start {ffmpeg}");
        }
        catch (Win32Exception e)
        {
            throw new AffectFuseException(ffmpeg, "ffmpeg not found or not runnable; install it (e.g. apt-get install ffmpeg)", e);
        }
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        _stdin = _process.StandardInput.BaseStream;
    }

    private static IEnumerable<string> Arguments(string output, ComposeOptions options, string? audioF32, int audioRate)
    {
        string[] video = ["-f", "rawvideo", "-pix_fmt", "bgr24", "-video_size", $"{options.Width}x{options.Height}", "-framerate", $"{options.Fps}", "-i", "pipe:0"];
        string[] encodeVideo = ["-c:v", "libx264", "-preset", options.Preset, "-crf", $"{options.Crf}", "-pix_fmt", "yuv420p"];
        bool sound = audioF32 is not null;
        string[] soundInput = sound ? ["-f", "f32le", "-ar", $"{audioRate}", "-ac", "1", "-i", audioF32!] : [];
        string[] maps = sound ? ["-map", "0:v:0", "-map", "1:a:0"] : ["-map", "0:v:0"];
        string[] encodeSound = sound ? ["-c:a", "aac", "-b:a", "96k", "-ar", $"{options.AudioSampleRate}", "-ac", "1"] : [];
        return ["-hide_banner", "-loglevel", "error", "-y", .. video, .. soundInput, .. maps, .. encodeVideo, .. encodeSound,
            "-movflags", "+faststart", "-f", "mp4", output];
    }

    /// <summary>Appends one frame (BGR, 8-bit, the options' size).</summary>
    public void Write(Mat frame)
    {
        if (!frame.IsContinuous() || frame.Total() * frame.ElemSize() != _buffer.Length)
            throw new ArgumentException("frame must be a continuous BGR image of the clip's size", nameof(frame));
        Marshal.Copy(frame.Data, _buffer, 0, _buffer.Length);
        try
        {
            _stdin.Write(_buffer);
        }
        catch (IOException e)
        {
            _process.WaitForExit();
            throw new AffectFuseException(_output, $"ffmpeg stopped after {_frames} frames: {Stderr()}", e);
        }
        _frames++;
    }

    /// <summary>Closes the frame pipe and waits for ffmpeg; a failure is an <see cref="AffectFuseException"/> with its message.</summary>
    public void Complete()
    {
        try { _stdin.Close(); }
        catch (IOException) { }
        _process.WaitForExit();
        if (_process.ExitCode != 0)
            throw new AffectFuseException(_output, $"ffmpeg failed (exit {_process.ExitCode}): {Stderr()}");
    }

    private string Stderr()
    {
        lock (_stderr)
        {
            string text = _stderr.ToString().Trim().ReplaceLineEndings(" ");
            return text.Length > 400 ? "…" + text[^400..] : text;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(); } catch (InvalidOperationException) { }
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
