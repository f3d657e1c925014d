using OpenCvSharp;

namespace AffectFuse.Decoding;

/// <summary>Decodes a video file into timestamped BGR frames, one at a time, through OpenCV's bundled FFmpeg.</summary>
/// <remarks>
/// OpenCV's FFmpeg backend was chosen over piping <c>ffmpeg -f rawvideo</c>: it gives each frame's own presentation
/// time (correct for variable frame rate), applies the display-matrix rotation, converts grey and odd-sized sources
/// to BGR, needs no external program, and decodes straight into reusable buffers without a pipe copy.
/// Memory stays bounded: frames are produced lazily and their buffers are pooled.
/// </remarks>
internal sealed class VideoDecoder : IDisposable
{
    private const int CapPropNThreads = 70; // cv::CAP_PROP_N_THREADS; not in OpenCvSharp's enum

    // FFmpeg inside OpenCV logs every damaged packet to stderr (hundreds of lines for one corrupt video); the decoder
    // reports a shortfall in one line instead (ExtractionStatistics.Shortfall). OpenCV reads the level from the native
    // environment, which Environment.SetEnvironmentVariable does not change on Unix; a level the user set is kept.
    static VideoDecoder() => IO.NativeEnvironment.SetDefault("OPENCV_FFMPEG_LOGLEVEL", "-8"); // AV_LOG_QUIET

    // A failed read has already let OpenCV try up to its decode-attempt count of packets (64); a damaged stretch longer
    // than this many failed reads in a row is taken as the end of what can be decoded.
    private const int MaxFailedReadsInARow = 16;

    private readonly VideoCapture _capture;
    private readonly List<(double From, double To)> _skipped = [];
    private readonly DecodeOptions _options;
    private readonly FramePool _pool;
    private bool _started;

    private VideoDecoder(VideoCapture capture, VideoInfo info, DecodeOptions options)
    {
        _capture = capture;
        Info = info;
        _options = options;
        _pool = new FramePool(options.PoolSize);
    }

    /// <summary>The stream's metadata.</summary>
    public VideoInfo Info { get; }

    /// <summary>Frames produced so far.</summary>
    public int FramesDecoded { get; private set; }

    /// <summary>Stretches of the video skipped because their packets would not decode (damage in the middle of the file),
    /// each from the last good frame's time to the next good frame's, in seconds.</summary>
    public IReadOnlyList<(double From, double To)> SkippedStretches => _skipped;

    /// <summary>Opens <paramref name="path"/>; throws <see cref="AffectFuseException"/> naming the file when it is
    /// missing or holds no decodable video stream.</summary>
    public static VideoDecoder Open(string path, DecodeOptions? options = null)
    {
        options ??= new DecodeOptions();
        options.Validate();
        IO.InputFile.RequireContent(path, "video file");

        var parameters = options.DecoderThreads > 0 ? new[] { CapPropNThreads, options.DecoderThreads } : Array.Empty<int>();
        var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG, parameters);
        try
        {
            if (!capture.IsOpened())
                throw new AffectFuseException(path, "not a readable video (FFmpeg could not open it, or it has no video stream)");
            int width = capture.FrameWidth, height = capture.FrameHeight;
            if (width <= 0 || height <= 0)
                throw new AffectFuseException(path, $"video stream reports an invalid size {width}x{height}");
            double fps = capture.Fps;
            if (!double.IsFinite(fps) || fps <= 0 || fps > 1000)
                fps = 0;
            int count = capture.FrameCount;
            int? countEstimate = count > 0 ? count : null;
            int rotation = ((int)Math.Round(capture.Get(VideoCaptureProperties.OrientationMeta)) % 360 + 360) % 360;
            var (outW, outH) = ScaledSize(width, height, options.MaxSize);
            var info = new VideoInfo(Path.GetFullPath(path), outW, outH, width, height, rotation, fps,
                countEstimate, countEstimate is int n && fps > 0 ? n / fps : null);
            return new VideoDecoder(capture, info, options);
        }
        catch
        {
            capture.Dispose();
            throw;
        }
    }

    /// <summary>Decodes the frames in presentation order. Single pass; dispose each frame when done with it.
    /// Throws <see cref="AffectFuseException"/> if the stream yields no frame at all.</summary>
    public IEnumerable<VideoFrame> ReadFrames()
    {
        if (_started)
            throw new InvalidOperationException("ReadFrames can be enumerated once per decoder; open the file again");
        _started = true;
        return Iterate();
    }

    private IEnumerable<VideoFrame> Iterate()
    {
        bool scale = Info.Width != Info.SourceWidth || Info.Height != Info.SourceHeight;
        using var scratch = scale ? new Mat() : null;
        // Containers without timestamps (raw H.264) report 0 for every frame: fall back to a steady step.
        double step = Info.NominalFps > 0 ? 1.0 / Info.NominalFps : 1.0 / 25;
        double previous = double.NegativeInfinity;
        int failedInARow = 0;
        double lastFailure = double.NegativeInfinity;
        while (true)
        {
            var image = _pool.Rent();
            bool ok;
            try
            {
                ok = _capture.Read(scale ? scratch! : image);
                if (ok && scale)
                    Cv2.Resize(scratch!, image, new Size(Info.Width, Info.Height), 0, 0, InterpolationFlags.Area);
            }
            catch (OpenCVException e)
            {
                image.Dispose();
                throw new AffectFuseException(Info.Path, $"decoding failed at frame {FramesDecoded}: {e.Message}", e);
            }
            if (!ok || image.Empty())
            {
                image.Dispose();
                // A read fails at the end, and also at packets damaged in the middle: FFmpeg's own tools skip those and
                // go on, and so does this (at the end the retries return at once).
                if (++failedInARow > MaxFailedReadsInARow)
                    break;
                continue;
            }
            double t = _capture.Get(VideoCaptureProperties.PosMsec) / 1000.0;
            if (!double.IsFinite(t) || t <= previous)
                t = FramesDecoded == 0 ? 0 : previous + step;
            // A jump in time near a failed read is damage (FFmpeg drops the frames it cannot rebuild without failing every
            // read); elsewhere it is a variable frame rate, which is no loss.
            if (failedInARow > 0)
                lastFailure = t;
            if (t - lastFailure <= 1 && FramesDecoded > 0 && t - previous > 1.5 * step)
                AddSkipped(previous, t);
            failedInARow = 0;
            previous = t;
            yield return new VideoFrame(FramesDecoded++, t, image, _pool);
        }
        if (FramesDecoded == 0)
            throw new AffectFuseException(Info.Path, "video stream holds no decodable frame (corrupt or truncated)");
    }

    // Neighbouring jumps of one damaged stretch are one stretch.
    private void AddSkipped(double from, double to)
    {
        if (_skipped.Count > 0 && _skipped[^1].To >= from - 1)
            _skipped[^1] = (_skipped[^1].From, to);
        else
            _skipped.Add((from, to));
    }

    /// <summary>Size after shrinking so the longer side is at most <paramref name="maxSize"/>; never enlarges.</summary>
    public static (int Width, int Height) ScaledSize(int width, int height, int? maxSize)
    {
        int longer = Math.Max(width, height);
        if (maxSize is not int max || longer <= max)
            return (width, height);
        double s = (double)max / longer;
        return (Math.Max(1, (int)Math.Round(width * s)), Math.Max(1, (int)Math.Round(height * s)));
    }

    /// <summary>Closes the file; frames still alive stay valid until disposed.</summary>
    public void Dispose()
    {
        _capture.Dispose();
        _pool.Dispose();
    }
}
