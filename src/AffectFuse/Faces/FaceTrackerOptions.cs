namespace AffectFuse.Faces;

/// <summary>Settings of <see cref="FaceTracker"/>.</summary>
internal sealed record FaceTrackerOptions
{
    /// <summary>Run the detector on every N-th frame (1 = every frame). Frames between two detections that agree
    /// are interpolated; where they disagree (face appears, leaves or changes) every frame between is detected.</summary>
    public int DetectEvery { get; init; } = 3;

    /// <summary>Face to pick when a new track starts.</summary>
    public FaceSelection Selection { get; init; } = FaceSelection.Largest;

    /// <summary>Frames the tracked face may go undetected before another face may take the track over.</summary>
    public int LostAfterFrames { get; init; } = 8;

    /// <summary>Largest centre shift, in track box widths, for a detection to continue the track.</summary>
    public float MaxCentreShift { get; init; } = 1.0f;

    /// <summary>Largest size change (ratio of box widths, either way) for a detection to continue the track.</summary>
    public float MaxSizeRatio { get; init; } = 1.6f;

    /// <summary>Checks every value; a bad one is an <see cref="AffectFuseException"/> naming the option and its range.</summary>
    public void Validate()
    {
        OptionCheck.Range("FaceTrackerOptions.DetectEvery", DetectEvery, 1, int.MaxValue);
        OptionCheck.Defined("FaceTrackerOptions.Selection", Selection);
        OptionCheck.Range("FaceTrackerOptions.LostAfterFrames", LostAfterFrames, 0, int.MaxValue);
        OptionCheck.Positive("FaceTrackerOptions.MaxCentreShift", MaxCentreShift);
        OptionCheck.Range("FaceTrackerOptions.MaxSizeRatio", MaxSizeRatio, 1, double.PositiveInfinity);
    }
}
