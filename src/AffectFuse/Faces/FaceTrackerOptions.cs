namespace AffectFuse.Faces;

/// <summary>Settings of <see cref="FaceTracker"/>.</summary>
internal sealed record FaceTrackerOptions
{
    /// <summary>Run the detector on every N-th frame (1 = every frame). Frames between two detections that agree
    /// are interpolated; where they disagree (face appears, leaves or changes) every frame between is detected.</summary>
    public int DetectEvery { get; init; } = 3;

    /// <summary>Every face, or the one person to follow (<see cref="PersonFilter"/>: who is picked when nobody is followed).</summary>
    public FaceSelection Selection { get; init; } = FaceSelection.Largest;

    /// <summary>With one face selected: frames the followed person may be missing before another may be followed instead.</summary>
    public int LostAfterFrames { get; init; } = 8;

    /// <summary>Largest centre shift, in track box widths, for a detection to continue the track.</summary>
    public float MaxCentreShift { get; init; } = 1.0f;

    /// <summary>Largest size change (ratio of box widths, either way) for a detection to continue the track.</summary>
    public float MaxSizeRatio { get; init; } = 1.6f;

    /// <summary>Most faces followed at once with <see cref="FaceSelection.All"/> (the largest when a frame shows more).</summary>
    public int MaxPersons { get; init; } = 8;

    /// <summary>With <see cref="FaceSelection.All"/>: frames a person may go unseen (hidden behind another face, turned
    /// away) and still be continued by position alone, from where their motion was taking them (1 s at 25 fps).</summary>
    public int HiddenFrames { get; init; } = 25;

    /// <summary>Frames a lost person is remembered, so that a face that leaves and comes back keeps its id (10 s at 25 fps).</summary>
    public int ForgetAfterFrames { get; init; } = 250;

    /// <summary>How far from where a lost person was last seen, in their box widths, a face may come back as them.</summary>
    public float ReturnDistance { get; init; } = 3f;

    /// <summary>Largest colour distance (<see cref="FaceAppearance"/>, 0–1) at which a face that comes back is taken for
    /// the lost person; above it, a new person.</summary>
    public float MaxAppearanceDistance { get; init; } = 0.4f;

    /// <summary>Largest descriptor distance (<see cref="FaceIdentity"/>) at which a face is taken for a lost person,
    /// wherever it comes back; above it, someone else (dlib's and face-api's threshold for one person).</summary>
    public float MaxIdentityDistance { get; init; } = FaceIdentity.SamePerson;

    /// <summary>Checks every value; a bad one is an <see cref="AffectFuseException"/> naming the option and its range.</summary>
    public void Validate()
    {
        OptionCheck.Range("FaceTrackerOptions.DetectEvery", DetectEvery, 1, int.MaxValue);
        OptionCheck.Defined("FaceTrackerOptions.Selection", Selection);
        OptionCheck.Range("FaceTrackerOptions.LostAfterFrames", LostAfterFrames, 0, int.MaxValue);
        OptionCheck.Positive("FaceTrackerOptions.MaxCentreShift", MaxCentreShift);
        OptionCheck.Range("FaceTrackerOptions.MaxSizeRatio", MaxSizeRatio, 1, double.PositiveInfinity);
        OptionCheck.Range("FaceTrackerOptions.MaxPersons", MaxPersons, 1, 64);
        OptionCheck.Range("FaceTrackerOptions.HiddenFrames", HiddenFrames, 0, int.MaxValue);
        OptionCheck.Range("FaceTrackerOptions.ForgetAfterFrames", ForgetAfterFrames, HiddenFrames, int.MaxValue);
        OptionCheck.Positive("FaceTrackerOptions.ReturnDistance", ReturnDistance);
        OptionCheck.Range("FaceTrackerOptions.MaxAppearanceDistance", MaxAppearanceDistance, 0, 1);
        OptionCheck.Range("FaceTrackerOptions.MaxIdentityDistance", MaxIdentityDistance, 0, 2);
    }
}
