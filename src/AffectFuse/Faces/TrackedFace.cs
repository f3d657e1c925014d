using OpenCvSharp;

namespace AffectFuse.Faces;

/// <summary>The tracked face in one frame: where it is, or that it is absent.</summary>
internal sealed record TrackedFace
{
    /// <summary>The person's id (<see cref="PersonAssociation"/>); 1 when one face is followed.</summary>
    public int Person { get; init; } = 1;

    /// <summary>Frame index.</summary>
    public required int FrameIndex { get; init; }

    /// <summary>Frame time in seconds.</summary>
    public required double Timestamp { get; init; }

    /// <summary>The face, or null when it is absent from this frame.</summary>
    public FaceDetection? Face { get; init; }

    /// <summary>True when the detector ran on this frame and found the face; false when interpolated or absent.</summary>
    public bool Detected { get; init; }

    /// <summary>True when the face is present (the visual mask).</summary>
    public bool Present => Face is not null;

    /// <summary>Box in frame pixels (empty when absent).</summary>
    public Rect2f Box => Face?.Box ?? default;

    /// <summary>Confidence (0 when absent).</summary>
    public float Confidence => Face?.Score ?? 0;
}
