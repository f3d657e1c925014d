using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using OpenCvSharp;

namespace AffectFuse.Decoding;

/// <summary>What a live source delivers, after scaling and resampling.</summary>
internal sealed record LiveStreamInfo(int Width, int Height, double Fps, bool HasAudio);

/// <summary>One frame as it arrived: the frame (index in the stream, time in its segment, constant rate) and when it
/// arrived here, the reference for latency.</summary>
internal sealed class LiveFrame(VideoFrame frame, long arrivalTimestamp) : IDisposable
{
    /// <summary>The frame; its <see cref="VideoFrame.Index"/> counts every frame the source sent, dropped ones included.</summary>
    public VideoFrame Frame { get; } = frame;

    /// <summary><see cref="Stopwatch.GetTimestamp"/> when its last byte was read.</summary>
    public long ArrivalTimestamp { get; } = arrivalTimestamp;

    /// <inheritdoc />
    public void Dispose() => Frame.Dispose();
}

/// <summary>Reads a live source through one FFmpeg process, so video and audio come from one demuxer and stay in step:
/// YUV4MPEG2 frames at a constant rate on stdout (the stream says its own size and rate, so nothing probes the source
/// first: a probe takes the first packets of a live stream, and the key frame among them, and holds a single-client
/// server's one connection), 16 kHz mono PCM through a named pipe. Frames wait in a short queue; when processing falls
/// behind, the oldest is dropped and counted rather than letting latency grow.</summary>
/// <remarks>A stall (no frame for <see cref="LiveSourceOptions.StallSeconds"/>), a failure or the end of a network
/// source is reconnected with back-off when <see cref="LiveSourceOptions.Reconnect"/> is set. Each connection is a
/// <see cref="LiveSegment"/> with its own clock, so sound and frames stay in step across the gap, and what was pending
/// at the gap can be settled at once instead of waiting for the next connection.</remarks>
internal sealed class LiveSource : IDisposable
{
    private const int SampleRate = AudioDecoder.SampleRate;
    private const string NoSound = "matches no streams"; // FFmpeg, when the source has no audio stream to map
    private const string NoRate = "no frame rate";
    private const double FallbackFps = 25;
    private static readonly TimeSpan FirstFrameGrace = TimeSpan.FromSeconds(5);
    private readonly LiveSourceOptions _options;
    private readonly Channel<LiveSegment> _segments = Channel.CreateUnbounded<LiveSegment>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly List<LiveSegment> _opened = [];
    private readonly TaskCompletionSource<LiveStreamInfo> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _reader;
    private readonly string _fifoFolder;
    private readonly bool _paced;
    private readonly Action<string>? _onNotice;
    private bool _hasAudio = true; // until FFmpeg says the source has none
    private double? _fps;          // --fps, or the fallback when the stream does not say its rate
    private Process? _ffmpeg;
    private long _dropped, _delivered;
    private int _reconnects;

    private LiveSource(LiveSourceOptions options, Action<string>? onNotice)
    {
        _options = options;
        _onNotice = onNotice;
        // A file not played at its own rate is no live source: it is read as fast as it is processed, nothing dropped.
        _paced = !options.Realtime && !options.IsNetwork && !options.IsDevice;
        _fps = options.Fps;
        _fifoFolder = Directory.CreateTempSubdirectory("affectfuse-live-").FullName;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "affectfuse-live-source" };
    }

    /// <summary>The stream's size, rate and whether it has sound, as its first connection delivered them.</summary>
    public LiveStreamInfo Info => _first.Task.IsCompletedSuccessfully ? _first.Task.Result : throw new InvalidOperationException("the source has not started");

    /// <summary>Frames dropped because processing fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Times the source was reconnected.</summary>
    public int Reconnects => _reconnects;

    /// <summary>Why the source ended (null while it runs, or after a normal end of a file).</summary>
    public string? EndReason { get; private set; }

    /// <summary>Starts reading the source and waits for its first frame (bounded by the stall time). A source that cannot
    /// be opened, or delivers nothing in time, is an <see cref="AffectFuseException"/> naming it; with
    /// <see cref="LiveSourceOptions.Reconnect"/> a network source or device is tried again with back-off until it answers
    /// or <paramref name="cancel"/> fires, each retry told to <paramref name="onNotice"/>, as later reconnects are.</summary>
    public static LiveSource Open(LiveSourceOptions options, Action<string>? onNotice = null, CancellationToken cancel = default)
    {
        options.Validate();
        var source = new LiveSource(options, onNotice);
        try
        {
            source._reader.Start();
            source._first.Task.Wait(cancel);
            return source;
        }
        catch (OperationCanceledException)
        {
            source.Dispose();
            throw new AffectFuseException(options.Source, "stopped before it delivered any data");
        }
        catch (AggregateException e) when (e.InnerException is AffectFuseException inner)
        {
            source.Dispose();
            throw inner;
        }
    }

    /// <summary>The connections as they start, each read to its end before the next is worth reading; ends with the source.</summary>
    public IEnumerable<LiveSegment> Segments() => LiveSegment.ReadAll(_segments.Reader);

    private void ReadLoop()
    {
        int backoff = 1;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                string? problem = RunOnce(out bool sawFrames);
                if (problem is NoSound or NoRate)
                    continue; // again at once, face-only or at the fallback rate
                bool again = _options.Reconnect && (_options.IsNetwork || _options.IsDevice) && !_stop.IsCancellationRequested;
                if (!again)
                {
                    EndReason = _stop.IsCancellationRequested ? null : problem; // a stop is no failure
                    _first.TrySetException(new AffectFuseException(_options.Source, problem ?? "delivered no video"));
                    return;
                }
                backoff = sawFrames ? 1 : Math.Min(30, backoff * 2);
                _onNotice?.Invoke($"{problem ?? "the stream ended"}; {(_first.Task.IsCompleted ? "reconnecting" : "trying again")} in {backoff} s");
                _stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(backoff));
                if (_first.Task.IsCompleted)
                    _reconnects++;
            }
        }
        // A background thread must not end the process: whatever goes wrong ends the source, in one line.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            EndReason = _stop.IsCancellationRequested ? null : $"reading the source failed: {e.Message}";
            _first.TrySetException(new AffectFuseException(_options.Source, EndReason ?? "stopped before it delivered any data"));
        }
        finally
        {
            _first.TrySetException(new AffectFuseException(_options.Source, "stopped before it delivered any data"));
            _segments.Writer.TryComplete();
        }
    }

    // One FFmpeg run: one segment of frames and sound until the source ends, fails or stalls; null for a plain end.
    private string? RunOnce(out bool sawFrames)
    {
        sawFrames = false;
        bool withSound = _hasAudio;
        string fifo = Path.Combine(_fifoFolder, $"audio-{_reconnects}-{Environment.TickCount64}.f32");
        if (withSound)
            Mkfifo(fifo);
        using var process = StartFfmpeg(fifo, withSound);
        _ffmpeg = process;
        var stderr = new Queue<string>();
        process.ErrorDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) lock (stderr) { stderr.Enqueue(e.Data); if (stderr.Count > 5) stderr.Dequeue(); } };
        process.BeginErrorReadLine();
        // FFmpeg opens the sound's pipe before it sends the first frame: the sound is read from the start.
        var sound = withSound ? LiveSegment.NewSound() : null;
        var audio = sound is not null ? new Thread(() => ReadPcm(fifo, sound)) { IsBackground = true, Name = "affectfuse-live-audio" } : null;
        audio?.Start();
        LiveSegment? segment = null;
        string? stalled;
        try
        {
            stalled = ReadFrames(process, sound, ref segment, ref sawFrames);
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
            sound?.Writer.TryComplete();
            segment?.EndFrames();
        }
        string? failure = process.ExitCode != 0 && !_stop.IsCancellationRequested ? LastLine(stderr, process.ExitCode) : null;
        bool Unmapped(string stream)
        {
            lock (stderr)
                return stderr.Any(l => l.Contains(NoSound, StringComparison.Ordinal) && l.Contains(stream, StringComparison.Ordinal));
        }
        if (!sawFrames && failure is not null && Unmapped("'0:v:0'"))
            return "has no video stream";
        if (!sawFrames && withSound && failure is not null && Unmapped("'0:a:0'"))
        {
            _hasAudio = false;
            return NoSound;
        }
        if (stalled is not null)
            return stalled;
        return failure is null ? null : sawFrames ? $"FFmpeg stopped: {failure}" : $"cannot be opened: {failure}";
    }

    private static string LastLine(Queue<string> stderr, int exitCode)
    {
        lock (stderr)
            return stderr.LastOrDefault()?.Trim() ?? $"exit code {exitCode}";
    }

    private Process StartFfmpeg(string fifo, bool withSound)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var args = new List<string> { "-nostdin", "-hide_banner", "-loglevel", "error" };
        args.AddRange(InputArguments(_options));
        // Longer side at most MaxSize, aspect kept, even sizes (4:2:0); a constant rate: the source's, or --fps.
        string scale = $"scale=w='min(iw,{_options.MaxSize})':h='min(ih,{_options.MaxSize})':force_original_aspect_ratio=decrease:force_divisible_by=2";
        string filters = _fps is { } fps ? $"fps={fps.ToString("R", CultureInfo.InvariantCulture)},{scale}" : scale;
        args.AddRange(["-map", "0:v:0", "-vf", filters, "-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe", "pipe:1"]);
        if (withSound)
            // Each packet flushed: the pipe's 32-KB buffer would otherwise hold half a second of sound.
            args.AddRange(["-map", "0:a:0", "-ac", "1", "-ar", SampleRate.ToString(CultureInfo.InvariantCulture), "-flush_packets", "1", "-f", "f32le", "-y", fifo]);
        foreach (string a in args) info.ArgumentList.Add(a);
        try
        {
            return Process.Start(info)!;
        }
        catch (Win32Exception)
        {
            throw new AffectFuseException(_options.Source, "ffmpeg is not installed (apt install ffmpeg)");
        }
    }

    private static IEnumerable<string> InputArguments(LiveSourceOptions o)
    {
        if (o.IsDevice) { yield return "-f"; yield return "v4l2"; }
        if (o.Realtime) yield return "-re";
        // FFmpeg's default probe of a network stream buffers about 5 s of video before the first frame comes out, then
        // bursts it. Half a second finds the frame rate (with less, a stream with sound came out at 90000 "fps", the
        // time base, each frame repeated), and on loopback the frames then came 0.23 s and the sound 0.19 s after the
        // publisher's start + their time (its own start-up included). Not -fflags nobuffer: it discards the packets
        // analysed (the first key frame with them), and with it the analysis held the sound 0.55 s back for good.
        if (o.IsNetwork)
            foreach (string a in new[] { "-flags", "low_delay", "-probesize", "500000", "-analyzeduration", "500000" })
                yield return a;
        yield return "-i";
        yield return o.Source;
    }

    private string? ReadFrames(Process ffmpeg, Channel<float[]>? sound, ref LiveSegment? segment, ref bool sawFrames)
    {
        var reader = new Y4mReader(ffmpeg.StandardOutput.BaseStream);
        var wait = TimeSpan.FromSeconds(_options.StallSeconds);
        // The first frame may wait longer: a reader that joins a stream mid-way waits for its next key frame (every
        // 10 s with x264's defaults).
        var first = wait + FirstFrameGrace;
        var header = reader.ReadHeader(first);
        if (header is null)
            return $"delivered no data within {first.TotalSeconds:0.#} s (not streaming, or unreachable)";
        if (header == false)
            return null;
        var h = reader.Header!;
        if (!(h.Fps is >= 1 and <= 240))
        {
            // The stream does not say its rate (FFmpeg falls back to the time base and repeats each frame to fill it).
            _onNotice?.Invoke($"the stream does not say its frame rate ({h.Fps:0.###}); reading it at {FallbackFps} fps ({OptionName.Of("LiveSourceOptions.Fps")} sets it)");
            _fps = FallbackFps;
            return NoRate;
        }
        segment = StartSegment(h, sound);
        while (!_stop.IsCancellationRequested)
        {
            // A stall ends the run at once: FFmpeg holds only the decoder's own delay (2 or 3 frames on loopback), and
            // blocked in a network read it would not answer an interrupt (a first SIGINT does not break the read).
            var read = reader.ReadFrame(wait);
            if (read is null)
                return $"no frame for {_options.StallSeconds:0.#} s (the source stalled)";
            if (read == false)
                break;
            sawFrames = true;
            long index = _delivered++;
            var image = new Mat(h.Height, h.Width, MatType.CV_8UC3);
            using (var yuv = Mat.FromPixelData(h.Height * 3 / 2, h.Width, MatType.CV_8UC1, reader.Frame))
                Cv2.CvtColor(yuv, image, ColorConversionCodes.YUV2BGR_I420);
            var frame = new LiveFrame(new VideoFrame((int)index, (index - segment.FirstFrame) / h.Fps, image), Stopwatch.GetTimestamp());
            if (!segment.Deliver(frame))
                frame.Dispose();
        }
        return null;
    }

    // The first header of the source says what it is; every connection's frames go to a segment of their own.
    private LiveSegment StartSegment(Y4mHeader h, Channel<float[]>? sound)
    {
        _first.TrySetResult(new LiveStreamInfo(h.Width, h.Height, h.Fps, sound is not null));
        var segment = new LiveSegment(Math.Max(1, (int)Math.Ceiling(_options.QueueSeconds * h.Fps)), _paced, sound, _delivered,
            () => Interlocked.Increment(ref _dropped), _stop.Token);
        lock (_opened)
        {
            _opened.RemoveAll(s => s.Drained); // what Dispose may have to release: bounded by the segments not yet read
            _opened.Add(segment);
        }
        _segments.Writer.TryWrite(segment);
        return segment;
    }

    private static void ReadPcm(string fifo, Channel<float[]> sound)
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
                    sound.Writer.TryWrite(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, samples * sizeof(float))).ToArray());
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
