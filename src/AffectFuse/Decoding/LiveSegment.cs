using System.Threading.Channels;

namespace AffectFuse.Decoding;

/// <summary>What one connection to a live source delivered, from its first frame to its end (the stream ended, stalled
/// or failed): frames and sound that share one clock, starting at zero. A reconnect starts the next segment, so the sound
/// of one never runs on into the frames of another.</summary>
internal sealed class LiveSegment
{
    private readonly Channel<LiveFrame> _frames;
    private readonly Channel<float[]>? _sound;
    private readonly bool _paced;
    private readonly CancellationToken _stop;

    internal LiveSegment(int queueFrames, bool paced, Channel<float[]>? sound, long firstFrame, Action onDropped, CancellationToken stop)
    {
        _paced = paced;
        _stop = stop;
        FirstFrame = firstFrame;
        _frames = Channel.CreateBounded<LiveFrame>(new BoundedChannelOptions(queueFrames)
        {
            FullMode = paced ? BoundedChannelFullMode.Wait : BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true,
        }, dropped => { dropped.Dispose(); onDropped(); });
        _sound = sound;
    }

    /// <summary>Index in the whole stream of this segment's first frame: a frame's time in the segment is
    /// (index − this) / rate.</summary>
    public long FirstFrame { get; }

    /// <summary>The frames as they arrive (waiting for them), until the segment ends.</summary>
    public IEnumerable<LiveFrame> Frames => ReadAll(_frames.Reader);

    /// <summary>The sound as it arrives in short chunks, 16 kHz mono from the segment's start; null without sound.</summary>
    public IEnumerable<float[]>? Sound => _sound is null ? null : ReadAll(_sound.Reader);

    // Everything a channel delivers, waiting for each item, until it is completed.
    internal static IEnumerable<T> ReadAll<T>(ChannelReader<T> reader)
    {
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            while (reader.TryRead(out var item))
                yield return item;
    }

    // Live: never waits (the oldest frame makes room, counted as dropped). Paced (a file read as fast as it is
    // processed): waits for room; false once the source is stopped.
    internal bool Deliver(LiveFrame frame)
    {
        if (!_paced)
            return _frames.Writer.TryWrite(frame);
        try
        {
            _frames.Writer.WriteAsync(frame, _stop).AsTask().GetAwaiter().GetResult();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A channel for a connection's sound, filled from its start (before the segment exists: FFmpeg opens the
    /// sound's pipe before it sends the first frame).</summary>
    internal static Channel<float[]> NewSound() => Channel.CreateUnbounded<float[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    internal void EndFrames() => _frames.Writer.TryComplete();

    // Ended and every frame read.
    internal bool Drained => _frames.Reader.Completion.IsCompleted;

    // Frames nobody will read (the source is disposed early) are released.
    internal void DisposeUnread()
    {
        while (_frames.Reader.TryRead(out var frame))
            frame.Dispose();
    }
}
