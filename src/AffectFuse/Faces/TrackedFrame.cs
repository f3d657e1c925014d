using AffectFuse.Decoding;

namespace AffectFuse.Faces;

/// <summary>A decoded frame with its tracked face. Disposing it disposes the frame.</summary>
internal sealed class TrackedFrame(VideoFrame frame, TrackedFace face) : IDisposable
{
    /// <summary>The frame.</summary>
    public VideoFrame Frame { get; } = frame;

    /// <summary>The tracked face in it.</summary>
    public TrackedFace Face { get; } = face;

    /// <summary>Disposes the frame.</summary>
    public void Dispose() => Frame.Dispose();
}
