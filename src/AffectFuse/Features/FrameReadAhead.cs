using System.Diagnostics;
using System.Threading.Channels;
using AffectFuse.Decoding;

namespace AffectFuse.Features;

/// <summary>Decodes on a thread of its own, up to <see cref="Capacity"/> frames ahead of the thread that detects and
/// tracks faces in them, so that decoding and detection overlap on two cores instead of taking turns on one (on HD video
/// decoding alone fills a core). The frames come out in decode order; a decoding failure is rethrown to the reader.</summary>
internal sealed class FrameReadAhead : IDisposable
{
    /// <summary>Frames decoded ahead of the reader: enough to ride out a detection (a few ms) without holding many
    /// frames' pixels.</summary>
    public const int Capacity = 4;

    private readonly Channel<VideoFrame> _frames = Channel.CreateBounded<VideoFrame>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop;
    private readonly Stopwatch _clock = new(), _blocked = new();
    private readonly Task _decoding;

    /// <summary>Starts decoding <paramref name="source"/> on a dedicated thread.</summary>
    public FrameReadAhead(IEnumerable<VideoFrame> source, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _decoding = Task.Factory.StartNew(() => Decode(source), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Seconds the decoding thread was busy (not waiting for the reader to take a frame).</summary>
    public double BusySeconds => Math.Max(0, _clock.Elapsed.TotalSeconds - _blocked.Elapsed.TotalSeconds);

    /// <summary>The decoded frames, in order; blocks until the next is ready, adding the time blocked to
    /// <paramref name="waiting"/>. Enumerate once.</summary>
    public IEnumerable<VideoFrame> Frames(Stopwatch waiting)
    {
        while (BlockingChannel.TryRead(_frames.Reader, out var frame, waiting, _stop.Token))
            yield return frame;
        // Completed: rethrow what stopped the decoding, if anything did.
        _decoding.GetAwaiter().GetResult();
    }

    private void Decode(IEnumerable<VideoFrame> source)
    {
        Thread.CurrentThread.Name ??= "affectfuse-decoder";
        _clock.Start();
        try
        {
            foreach (var frame in source)
            {
                try
                {
                    BlockingChannel.Write(_frames.Writer, frame, _blocked, _stop.Token);
                }
                catch
                {
                    frame.Dispose();
                    throw;
                }
            }
        }
        finally
        {
            _frames.Writer.TryComplete();
            _clock.Stop();
        }
    }

    /// <summary>Stops the decoding thread, waits for it, and frees the frames the reader did not take.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _decoding.Wait();
        }
        catch (AggregateException)
        {
            // Its failure was the reader's to see (Frames rethrows it); a stop asked for here is no failure.
        }
        while (_frames.Reader.TryRead(out var frame))
            frame.Dispose();
        _stop.Dispose();
    }
}
