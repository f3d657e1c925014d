using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using OpenCvSharp;

namespace AffectFuse.Decoding;

/// <summary>What a live source delivers, after scaling and resampling.</summary>
public sealed record LiveStreamInfo(int Width, int Height, double Fps, bool HasAudio);

/// <summary>One frame as it arrived: the frame (index and time in the stream, constant rate) and when it arrived here,
/// the reference for latency.</summary>
public sealed class LiveFrame(VideoFrame frame, long arrivalTimestamp) : IDisposable
{
    /// <summary>The frame; its <see cref="VideoFrame.Index"/> counts every frame the source sent, dropped ones included.</summary>
    public VideoFrame Frame { get; } = frame;

    /// <summary><see cref="Stopwatch.GetTimestamp"/> when its last byte was read.</summary>
    public long ArrivalTimestamp { get; } = arrivalTimestamp;

    /// <inheritdoc />
    public void Dispose() => Frame.Dispose();
}

/// <summary>Reads a live source through one FFmpeg process, so video and audio come from one demuxer and stay in step:
/// raw BGR frames at a constant rate on stdout, 16 kHz mono PCM through a named pipe. Frames wait in a short queue; when
/// processing falls behind, the oldest is dropped and counted rather than letting latency grow.</summary>
/// <remarks>A stall (no frame for <see cref="LiveSourceOptions.StallSeconds"/>), a failure or the end of a network
/// source is reconnected with back-off when <see cref="LiveSourceOptions.Reconnect"/> is set; audio missed meanwhile is
/// filled with silence, so audio time keeps matching frame time.</remarks>
public sealed class LiveSource : IDisposable
{
    private const int SampleRate = AudioDecoder.SampleRate;
    private readonly LiveSourceOptions _options;
    private readonly Channel<LiveFrame> _frames;
    private readonly Channel<float[]> _audio = Channel.CreateUnbounded<float[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _reader;
    private readonly string _fifoFolder;
    private Process? _ffmpeg;
    private long _dropped, _delivered, _samples;
    private int _reconnects;

    private LiveSource(LiveSourceOptions options, LiveStreamInfo info)
    {
        _options = options;
        Info = info;
        _frames = Channel.CreateBounded<LiveFrame>(new BoundedChannelOptions(Math.Max(1, (int)Math.Ceiling(options.QueueSeconds * info.Fps)))
        {
            FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true,
        }, dropped => { dropped.Dispose(); Interlocked.Increment(ref _dropped); });
        _fifoFolder = Directory.CreateTempSubdirectory("affectfuse-live-").FullName;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "affectfuse-live-source" };
    }

    /// <summary>The stream's size, rate and whether it has sound.</summary>
    public LiveStreamInfo Info { get; }

    /// <summary>Frames dropped because processing fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Times the source was reconnected.</summary>
    public int Reconnects => _reconnects;

    /// <summary>Why the source ended (null while it runs, or after a normal end of a file).</summary>
    public string? EndReason { get; private set; }

    /// <summary>Probes the source (bounded by the stall time) and starts reading it. A source that cannot be opened, or
    /// delivers nothing in time, is an <see cref="AffectFuseException"/> naming it.</summary>
    public static LiveSource Open(LiveSourceOptions options)
    {
        options.Validate();
        var info = options.Stream ?? Probe(options);
        var source = new LiveSource(options, info);
        source._reader.Start();
        return source;
    }

    /// <summary>The next frame, waiting for it; false at the end of the source.</summary>
    public bool TryRead(out LiveFrame frame, CancellationToken cancel = default)
    {
        try
        {
            while (_frames.Reader.WaitToReadAsync(cancel).AsTask().GetAwaiter().GetResult())
                if (_frames.Reader.TryRead(out frame!))
                    return true;
        }
        catch (ChannelClosedException)
        {
        }
        frame = null!;
        return false;
    }

    /// <summary>The sound as it arrives, in short chunks (null when the source has none): what the audio features read.</summary>
    public IEnumerable<float[]>? AudioChunks => Info.HasAudio ? ReadAudio() : null;

    private IEnumerable<float[]> ReadAudio()
    {
        var reader = _audio.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            while (reader.TryRead(out var chunk))
                yield return chunk;
    }

    private static LiveStreamInfo Probe(LiveSourceOptions o)
    {
        var args = new List<string> { "-v", "error", "-show_entries", "stream=codec_type,width,height,avg_frame_rate,r_frame_rate", "-of", "json" };
        args.AddRange(InputArguments(o, realtime: false));
        string json = RunBounded("ffprobe", args, o.Source, TimeSpan.FromSeconds(o.StallSeconds + 5));
        using var doc = JsonDocument.Parse(json);
        var streams = doc.RootElement.TryGetProperty("streams", out var s) ? s.EnumerateArray().ToList() : [];
        var video = streams.FirstOrDefault(x => x.TryGetProperty("codec_type", out var t) && t.GetString() == "video");
        if (video.ValueKind != JsonValueKind.Object || !video.TryGetProperty("width", out var w) || !video.TryGetProperty("height", out var h))
            throw new AffectFuseException(o.Source, "has no video stream");
        bool audio = streams.Any(x => x.TryGetProperty("codec_type", out var t) && t.GetString() == "audio");
        double fps = o.Fps ?? Rate(video, "avg_frame_rate") ?? Rate(video, "r_frame_rate") ?? 25;
        var (width, height) = VideoDecoder.ScaledSize(w.GetInt32(), h.GetInt32(), o.MaxSize);
        // Even sizes: the scaler's output is then exactly what was asked for.
        return new LiveStreamInfo(width & ~1, height & ~1, fps, audio);
    }

    private static double? Rate(JsonElement stream, string name)
    {
        if (!stream.TryGetProperty(name, out var r) || r.GetString() is not { } text) return null;
        var parts = text.Split('/');
        if (parts.Length == 2 && double.TryParse(parts[0], CultureInfo.InvariantCulture, out double a) && double.TryParse(parts[1], CultureInfo.InvariantCulture, out double b) && a > 0 && b > 0)
        {
            double fps = a / b;
            return fps is >= 1 and <= 240 ? fps : null;
        }
        return null;
    }

    private static IEnumerable<string> InputArguments(LiveSourceOptions o, bool realtime)
    {
        if (o.IsDevice) { yield return "-f"; yield return "v4l2"; }
        if (realtime) yield return "-re";
        // FFmpeg's default probe of a network stream buffers about 5 s of video (not of sound) before the first frame
        // comes out, then bursts it: half a second is enough to find the streams of a live feed.
        if (o.IsNetwork)
            foreach (string a in new[] { "-fflags", "nobuffer", "-flags", "low_delay", "-probesize", "200000", "-analyzeduration", "500000" })
                yield return a;
        yield return "-i";
        yield return o.Source;
    }

    // ffprobe on a network source that sends nothing would wait forever: bounded, the error says so.
    private static string RunBounded(string program, IEnumerable<string> args, string source, TimeSpan limit)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception)
        {
            throw new AffectFuseException(source, $"{program} is not installed (apt install ffmpeg)");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(limit))
            {
                process.Kill(entireProcessTree: true);
                throw new AffectFuseException(source, $"delivered no data within {limit.TotalSeconds:0} s (not streaming, or unreachable)");
            }
            if (process.ExitCode != 0)
                throw new AffectFuseException(source, $"cannot be opened: {stderr.Result.Trim().Split('\n').LastOrDefault()?.Trim()}");
            return stdout.Result;
        }
    }

    private void ReadLoop()
    {
        int backoff = 1;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                string? problem = RunOnce(out bool sawFrames);
                bool again = _options.Reconnect && (_options.IsNetwork || _options.IsDevice) && !_stop.IsCancellationRequested;
                if (!again)
                {
                    EndReason = problem;
                    return;
                }
                backoff = sawFrames ? 1 : Math.Min(30, backoff * 2);
                EndReason = $"{problem ?? "the stream ended"}; reconnecting in {backoff} s";
                _stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(backoff));
                _reconnects++;
            }
        }
        // A background thread must not end the process: whatever goes wrong ends the source, in one line.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            EndReason = _stop.IsCancellationRequested ? null : $"reading the source failed: {e.Message}";
        }
        finally
        {
            _frames.Writer.TryComplete();
            _audio.Writer.TryComplete();
        }
    }

    // One FFmpeg run: frames to the queue and sound to the audio channel until the source ends, fails or stalls.
    private string? RunOnce(out bool sawFrames)
    {
        sawFrames = false;
        string fifo = Path.Combine(_fifoFolder, $"audio-{_reconnects}.f32");
        if (Info.HasAudio)
            Mkfifo(fifo);
        using var process = StartFfmpeg(fifo);
        _ffmpeg = process;
        var stderr = new Queue<string>();
        process.ErrorDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) lock (stderr) { stderr.Enqueue(e.Data); if (stderr.Count > 5) stderr.Dequeue(); } };
        process.BeginErrorReadLine();
        var audio = Info.HasAudio ? new Thread(() => ReadPcm(fifo)) { IsBackground = true, Name = "affectfuse-live-audio" } : null;
        audio?.Start();
        string? stalled = ReadFrames(process.StandardOutput.BaseStream, ref sawFrames);
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.WaitForExit();
        if (audio is not null)
        {
            UnblockFifo(fifo);
            audio.Join();
        }
        if (stalled is not null)
            return stalled;
        if (process.ExitCode != 0 && !_stop.IsCancellationRequested)
            lock (stderr)
                return $"FFmpeg stopped: {stderr.LastOrDefault() ?? $"exit code {process.ExitCode}"}";
        return null;
    }

    private Process StartFfmpeg(string fifo)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var args = new List<string> { "-nostdin", "-hide_banner", "-loglevel", "error" };
        args.AddRange(InputArguments(_options, _options.Realtime));
        string fps = Info.Fps.ToString("R", CultureInfo.InvariantCulture);
        args.AddRange(["-map", "0:v:0", "-vf", $"fps={fps},scale={Info.Width}:{Info.Height}", "-pix_fmt", "bgr24", "-f", "rawvideo", "pipe:1"]);
        if (Info.HasAudio)
            args.AddRange(["-map", "0:a:0", "-ac", "1", "-ar", SampleRate.ToString(CultureInfo.InvariantCulture), "-f", "f32le", "-y", fifo]);
        foreach (string a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    private string? ReadFrames(Stream stdout, ref bool sawFrames)
    {
        int bytes = Info.Width * Info.Height * 3;
        var buffer = new byte[bytes];
        while (!_stop.IsCancellationRequested)
        {
            var read = ReadExactly(stdout, buffer);
            if (read is null)
                return $"no frame for {_options.StallSeconds:0.#} s (the source stalled)";
            if (read == false)
                return null;
            sawFrames = true;
            long index = _delivered++;
            var image = new Mat(Info.Height, Info.Width, MatType.CV_8UC3);
            System.Runtime.InteropServices.Marshal.Copy(buffer, 0, image.Data, bytes);
            var frame = new LiveFrame(new VideoFrame((int)index, index / Info.Fps, image), Stopwatch.GetTimestamp());
            PadAudioTo(index / Info.Fps);
            if (!_frames.Writer.TryWrite(frame))
                frame.Dispose();
        }
        return null;
    }

    // True: filled; false: the stream ended; null: nothing arrived within the stall time.
    private bool? ReadExactly(Stream stream, byte[] buffer)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            var pending = stream.ReadAsync(buffer, filled, buffer.Length - filled);
            if (!pending.Wait(TimeSpan.FromSeconds(_options.StallSeconds)))
                return null;
            int n = pending.Result;
            if (n == 0)
                return false;
            filled += n;
        }
        return true;
    }

    private void ReadPcm(string fifo)
    {
        try
        {
            using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 12);
            var bytes = new byte[3200]; // 50 ms of 16 kHz float32: small chunks keep audio latency low
            int carry = 0;
            while (true)
            {
                int n = stream.Read(bytes, carry, bytes.Length - carry);
                if (n == 0) break;
                int total = carry + n, samples = total / sizeof(float);
                if (samples > 0)
                {
                    var chunk = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, samples * sizeof(float))).ToArray();
                    Interlocked.Add(ref _samples, samples);
                    _audio.Writer.TryWrite(chunk);
                }
                carry = total - samples * sizeof(float);
                if (carry > 0) bytes.AsSpan(samples * sizeof(float), carry).CopyTo(bytes);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The sound ends with the run (FFmpeg stopped or killed); the frames say why, if anything went wrong.
        }
    }

    // After a reconnect the sound restarts at zero: silence in between keeps audio time on frame time.
    private void PadAudioTo(double seconds)
    {
        if (!Info.HasAudio || _reconnects == 0) return;
        long want = (long)(seconds * SampleRate) - Interlocked.Read(ref _samples);
        if (want <= SampleRate) return; // within a second: the new run's own sound will arrive
        _audio.Writer.TryWrite(new float[want]);
        Interlocked.Add(ref _samples, want);
    }

    private static void Mkfifo(string path)
    {
        if (mkfifo(path, Convert.ToUInt32("600", 8)) != 0)
            throw new AffectFuseException(path, "cannot create the named pipe for the sound");
    }

    // A reader blocked opening a pipe no writer ever opened (FFmpeg failed early) is released by opening it for writing.
    // Non-blocking: when the reader is gone already (the usual end), the open fails at once instead of waiting for one.
    private static void UnblockFifo(string fifo)
    {
        const int WriteOnly = 1, NonBlocking = 0x800; // O_WRONLY, O_NONBLOCK (Linux)
        int fd = open(fifo, WriteOnly | NonBlocking);
        if (fd >= 0)
            close(fd);
    }

    [System.Runtime.InteropServices.DllImport("libc", CharSet = System.Runtime.InteropServices.CharSet.Ansi, SetLastError = true)]
    private static extern int open(string path, int flags);

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [System.Runtime.InteropServices.DllImport("libc", CharSet = System.Runtime.InteropServices.CharSet.Ansi, SetLastError = true)]
    private static extern int mkfifo(string path, uint mode);

    /// <summary>Ends the source now, as if it had ended by itself: FFmpeg is stopped, the frames and sound already read
    /// are still delivered, then the readers see the end. Safe from any thread (a Ctrl-C handler).</summary>
    public void Stop()
    {
        _stop.Cancel();
        try { if (_ffmpeg is { HasExited: false } p) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    /// <summary>Stops FFmpeg and the readers.</summary>
    public void Dispose()
    {
        Stop();
        _reader.Join(TimeSpan.FromSeconds(10));
        while (_frames.Reader.TryRead(out var f)) f.Dispose();
        try { Directory.Delete(_fifoFolder, recursive: true); } catch (IOException) { }
    }
}
