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
/// source is reconnected with back-off when <see cref="LiveSourceOptions.Reconnect"/> is set. Each connection is a
/// <see cref="LiveSegment"/> with its own clock, so sound and frames stay in step across the gap, and what was pending
/// at the gap can be settled at once instead of waiting for the next connection.</remarks>
public sealed class LiveSource : IDisposable
{
    private const int SampleRate = AudioDecoder.SampleRate;
    private readonly LiveSourceOptions _options;
    private readonly Channel<LiveSegment> _segments = Channel.CreateUnbounded<LiveSegment>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly List<LiveSegment> _opened = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _reader;
    private readonly string _fifoFolder;
    private readonly bool _paced;
    private Action<string>? _onNotice;
    private Process? _ffmpeg;
    private long _dropped, _delivered;
    private int _reconnects;

    private LiveSource(LiveSourceOptions options, LiveStreamInfo info)
    {
        _options = options;
        Info = info;
        // A file not played at its own rate is no live source: it is read as fast as it is processed, nothing dropped.
        _paced = !options.Realtime && !options.IsNetwork && !options.IsDevice;
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
    /// delivers nothing in time, is an <see cref="AffectFuseException"/> naming it; with
    /// <see cref="LiveSourceOptions.Reconnect"/> a network source or device is probed again with back-off until it answers
    /// or <paramref name="cancel"/> fires, each retry told to <paramref name="onNotice"/>. Later reconnects are told
    /// there too.</summary>
    public static LiveSource Open(LiveSourceOptions options, Action<string>? onNotice = null, CancellationToken cancel = default)
    {
        options.Validate();
        var info = options.Stream ?? ProbeUntilUp(options, onNotice, cancel);
        var source = new LiveSource(options, info) { _onNotice = onNotice };
        source._reader.Start();
        return source;
    }

    /// <summary>The connections as they start, each read to its end before the next is worth reading; ends with the source.</summary>
    public IEnumerable<LiveSegment> Segments()
    {
        while (_segments.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            while (_segments.Reader.TryRead(out var segment))
                yield return segment;
    }

    private static LiveStreamInfo ProbeUntilUp(LiveSourceOptions o, Action<string>? onNotice, CancellationToken cancel)
    {
        bool retry = o.Reconnect && (o.IsNetwork || o.IsDevice);
        for (int backoff = 1; ; backoff = Math.Min(30, backoff * 2))
        {
            try
            {
                return Probe(o, cancel);
            }
            catch (AffectFuseException e) when (retry && !cancel.IsCancellationRequested)
            {
                onNotice?.Invoke($"{e.Problem}; trying again in {backoff} s");
                if (cancel.WaitHandle.WaitOne(TimeSpan.FromSeconds(backoff)))
                    throw new AffectFuseException(o.Source, "stopped before it delivered any data");
            }
        }
    }

    private static LiveStreamInfo Probe(LiveSourceOptions o, CancellationToken cancel)
    {
        var args = new List<string> { "-v", "error", "-show_entries", "stream=codec_type,width,height,avg_frame_rate,r_frame_rate", "-of", "json" };
        args.AddRange(InputArguments(o, realtime: false, reader: false));
        string json = RunBounded("ffprobe", args, o.Source, TimeSpan.FromSeconds(o.StallSeconds + 5), cancel);
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

    private static IEnumerable<string> InputArguments(LiveSourceOptions o, bool realtime, bool reader)
    {
        if (o.IsDevice) { yield return "-f"; yield return "v4l2"; }
        if (realtime) yield return "-re";
        if (o.IsNetwork)
            foreach (string a in NetworkArguments(reader))
                yield return a;
        yield return "-i";
        yield return o.Source;
    }

    // FFmpeg's default probe of a network stream buffers about 5 s of video before the first frame comes out, then
    // bursts it; and whatever it analyses before the first packet stays as a delay for the whole run: an
    // -analyzeduration of 0.5 s held the sound (not the frames) 0.55 s behind on loopback. ffprobe has already found the
    // streams, so the reader analyses 0.1 s: on loopback the sound then came 0.2 s and the frames 0.35 s after the
    // publisher's start + their time (its own start-up included), where they had come 0.75 s and 0.36 s after it.
    private static string[] NetworkArguments(bool reader) => reader
        ? ["-fflags", "nobuffer", "-flags", "low_delay", "-probesize", "32", "-analyzeduration", "100000"]
        : ["-fflags", "nobuffer", "-flags", "low_delay", "-probesize", "200000", "-analyzeduration", "500000"];

    // ffprobe on a network source that sends nothing would wait forever: bounded, the error says so.
    private static string RunBounded(string program, IEnumerable<string> args, string source, TimeSpan limit, CancellationToken cancel)
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
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            bounded.CancelAfter(limit);
            try
            {
                process.WaitForExitAsync(bounded.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new AffectFuseException(source, cancel.IsCancellationRequested
                    ? "stopped before it delivered any data"
                    : $"delivered no data within {limit.TotalSeconds:0} s (not streaming, or unreachable)");
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
                    EndReason = _stop.IsCancellationRequested ? null : problem; // a stop is no failure
                    return;
                }
                backoff = sawFrames ? 1 : Math.Min(30, backoff * 2);
                _onNotice?.Invoke($"{problem ?? "the stream ended"}; reconnecting in {backoff} s");
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
            _segments.Writer.TryComplete();
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
        var segment = new LiveSegment(Math.Max(1, (int)Math.Ceiling(_options.QueueSeconds * Info.Fps)), _paced, Info.HasAudio, _delivered,
            () => Interlocked.Increment(ref _dropped), _stop.Token);
        lock (_opened)
        {
            _opened.RemoveAll(s => s.Drained); // what Dispose may have to release: bounded by the segments not yet read
            _opened.Add(segment);
        }
        _segments.Writer.TryWrite(segment);
        var audio = Info.HasAudio ? new Thread(() => ReadPcm(fifo, segment)) { IsBackground = true, Name = "affectfuse-live-audio" } : null;
        audio?.Start();
        string? stalled;
        try
        {
            stalled = ReadFrames(process, segment, ref sawFrames);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            process.WaitForExit();
            if (audio is not null)
            {
                UnblockFifo(fifo);
                audio.Join();
            }
            segment.EndSound();
            segment.EndFrames();
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
        args.AddRange(InputArguments(_options, _options.Realtime, reader: true));
        string fps = Info.Fps.ToString("R", CultureInfo.InvariantCulture);
        args.AddRange(["-map", "0:v:0", "-vf", $"fps={fps},scale={Info.Width}:{Info.Height}", "-pix_fmt", "bgr24", "-f", "rawvideo", "pipe:1"]);
        if (Info.HasAudio)
            // Each packet flushed: the pipe's 32-KB buffer would otherwise hold half a second of sound.
            args.AddRange(["-map", "0:a:0", "-ac", "1", "-ar", SampleRate.ToString(CultureInfo.InvariantCulture), "-flush_packets", "1", "-f", "f32le", "-y", fifo]);
        foreach (string a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    private string? ReadFrames(Process ffmpeg, LiveSegment segment, ref bool sawFrames)
    {
        var reader = new FrameReader(ffmpeg.StandardOutput.BaseStream, Info.Width * Info.Height * 3);
        var wait = TimeSpan.FromSeconds(_options.StallSeconds);
        while (!_stop.IsCancellationRequested)
        {
            // A stall ends the run at once: with these input flags FFmpeg holds no decoded frame back (measured on
            // loopback, every frame sent was out before the stall), and blocked in a network read it would not
            // answer an interrupt anyway.
            var read = reader.Next(wait);
            if (read is null)
                return $"no frame for {_options.StallSeconds:0.#} s (the source stalled)";
            if (read == false)
                break;
            sawFrames = true;
            long index = _delivered++;
            var image = new Mat(Info.Height, Info.Width, MatType.CV_8UC3);
            System.Runtime.InteropServices.Marshal.Copy(reader.Buffer, 0, image.Data, reader.Buffer.Length);
            var frame = new LiveFrame(new VideoFrame((int)index, (index - segment.FirstFrame) / Info.Fps, image), Stopwatch.GetTimestamp());
            if (!segment.Deliver(frame))
                frame.Dispose();
        }
        return null;
    }

    /// <summary>Whole frames from FFmpeg's stdout, each read bounded in time.</summary>
    private sealed class FrameReader(Stream stream, int frameBytes)
    {
        private Task<int>? _pending;
        private int _filled;

        public byte[] Buffer { get; } = new byte[frameBytes];

        // True: a frame is in Buffer; false: the stream ended; null: nothing more arrived within the wait.
        public bool? Next(TimeSpan wait)
        {
            while (_filled < Buffer.Length)
            {
                _pending ??= stream.ReadAsync(Buffer, _filled, Buffer.Length - _filled);
                if (!_pending.Wait(wait))
                    return null;
                int n = _pending.Result;
                _pending = null;
                if (n == 0)
                    return false;
                _filled += n;
            }
            _filled = 0;
            return true;
        }
    }

    private static void ReadPcm(string fifo, LiveSegment segment)
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
                    segment.AddSound(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, samples * sizeof(float))).ToArray());
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
        lock (_opened)
            foreach (var segment in _opened)
                segment.DisposeUnread();
        try { Directory.Delete(_fifoFolder, recursive: true); } catch (IOException) { }
    }
}
