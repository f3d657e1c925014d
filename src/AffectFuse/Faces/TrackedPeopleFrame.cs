using AffectFuse.Decoding;

namespace AffectFuse.Faces;

/// <summary>A decoded frame with every person's face in it (only those present, ordered by person id). Disposing it
/// disposes the frame.</summary>
internal sealed class TrackedPeopleFrame(VideoFrame frame, IReadOnlyList<TrackedFace> persons) : IDisposable
{
    /// <summary>The frame.</summary>
    public VideoFrame Frame { get; } = frame;

    /// <summary>The faces present, one per person, ordered by <see cref="TrackedFace.Person"/>.</summary>
    public IReadOnlyList<TrackedFace> Persons { get; } = persons;

    /// <summary>Disposes the frame.</summary>
    public void Dispose() => Frame.Dispose();
}
