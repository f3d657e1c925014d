using OpenCvSharp;

namespace AffectFuse.Decoding;

/// <summary>One decoded frame: a BGR 8-bit image and its presentation time. Dispose it when done; its pixel
/// buffer then goes back to the decoder's pool for the next frame.</summary>
internal sealed class VideoFrame : IDisposable
{
    private readonly FramePool? _pool;
    private Mat? _image;

    internal VideoFrame(int index, double timestamp, Mat image, FramePool? pool)
    {
        Index = index;
        Timestamp = timestamp;
        _image = image;
        _pool = pool;
    }

    /// <summary>Creates a frame that owns <paramref name="image"/> (BGR, CV_8UC3); disposing the frame disposes it.</summary>
    public VideoFrame(int index, double timestamp, Mat image) : this(index, timestamp, image, null) { }

    /// <summary>Zero-based decode order.</summary>
    public int Index { get; }

    /// <summary>Presentation time in seconds from the start of the stream.</summary>
    public double Timestamp { get; }

    /// <summary>The pixels, BGR, CV_8UC3, rotation applied. Valid until the frame is disposed.</summary>
    public Mat Image => _image ?? throw new ObjectDisposedException(nameof(VideoFrame));

    /// <summary>Returns the pixel buffer to the pool (or frees it).</summary>
    public void Dispose()
    {
        var image = Interlocked.Exchange(ref _image, null);
        if (image is null)
            return;
        if (_pool is null)
            image.Dispose();
        else
            _pool.Return(image);
    }
}
