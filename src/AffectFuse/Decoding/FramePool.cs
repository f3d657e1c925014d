using System.Collections.Concurrent;
using OpenCvSharp;

namespace AffectFuse.Decoding;

/// <summary>Keeps up to a fixed number of released frame buffers so decoding a long video reuses a few native
/// buffers instead of allocating one per frame. Thread-safe: frames may be disposed on another thread.</summary>
internal sealed class FramePool(int capacity) : IDisposable
{
    private readonly ConcurrentBag<Mat> _free = new();
    private int _count;
    private volatile bool _disposed;

    public Mat Rent() => _free.TryTake(out var mat) ? DecrementAnd(mat) : new Mat();

    public void Return(Mat mat)
    {
        if (_disposed || Interlocked.Increment(ref _count) > capacity)
        {
            if (!_disposed)
                Interlocked.Decrement(ref _count);
            mat.Dispose();
            return;
        }
        _free.Add(mat);
    }

    public void Dispose()
    {
        _disposed = true;
        while (_free.TryTake(out var mat))
            mat.Dispose();
    }

    private Mat DecrementAnd(Mat mat)
    {
        Interlocked.Decrement(ref _count);
        return mat;
    }
}
