using System.Diagnostics;
using AffectFuse.Decoding;
using AffectFuse.Features;
using OpenCvSharp;
using Xunit;

namespace AffectFuse.Tests.Features;

public class FrameReadAheadTests
{
    private static IEnumerable<VideoFrame> Source(int count, List<VideoFrame> made, int failAt = -1)
    {
        for (int i = 0; i < count; i++)
        {
            if (i == failAt)
                throw new AffectFuseException("clip.mp4", "packet 7 would not decode");
            var frame = new VideoFrame(i, i / 25.0, new Mat(2, 2, MatType.CV_8UC3, Scalar.All(i)));
            lock (made)
                made.Add(frame);
            yield return frame;
        }
    }

    private static bool Disposed(VideoFrame frame) => Record.Exception(() => frame.Image) is ObjectDisposedException;

    [Fact]
    public void EveryFrameComesOutInDecodeOrder()
    {
        var made = new List<VideoFrame>();
        using var ahead = new FrameReadAhead(Source(50, made), CancellationToken.None);
        var indices = new List<int>();
        foreach (var frame in ahead.Frames(new Stopwatch()))
            using (frame)
                indices.Add(frame.Index);
        Assert.Equal(Enumerable.Range(0, 50), indices);
        Assert.True(ahead.BusySeconds >= 0);
    }

    [Fact]
    public void ADecodingFailureReachesTheReaderAfterTheFramesBeforeIt()
    {
        var made = new List<VideoFrame>();
        using var ahead = new FrameReadAhead(Source(50, made, failAt: 30), CancellationToken.None);
        var indices = new List<int>();
        var e = Assert.Throws<AffectFuseException>(() =>
        {
            foreach (var frame in ahead.Frames(new Stopwatch()))
                using (frame)
                    indices.Add(frame.Index);
        });
        Assert.Contains("packet 7", e.Message);
        Assert.Equal(Enumerable.Range(0, 30), indices);
    }

    [Fact]
    public void AReaderThatStopsEarlyLeavesNoFrameUndisposed()
    {
        var made = new List<VideoFrame>();
        var ahead = new FrameReadAhead(Source(1000, made), CancellationToken.None);
        foreach (var frame in ahead.Frames(new Stopwatch()).Take(3))
            frame.Dispose();
        ahead.Dispose();
        // The decoder stopped a bounded number of frames ahead, and freed every one the reader never took.
        Assert.InRange(made.Count, 3, 3 + FrameReadAhead.Capacity + 1);
        Assert.All(made, f => Assert.True(Disposed(f)));
    }

    [Fact]
    public void CancellingStopsTheReader()
    {
        using var cancel = new CancellationTokenSource();
        var made = new List<VideoFrame>();
        using var ahead = new FrameReadAhead(Source(1000, made), cancel.Token);
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var frame in ahead.Frames(new Stopwatch()))
            {
                frame.Dispose();
                if (frame.Index == 5)
                    cancel.Cancel();
            }
        });
    }
}
