namespace AffectFuse.Features;

/// <summary>Where one video's extraction spent its time: wall clock, and each stage's busy time (its thread's time
/// not spent waiting on a neighbouring stage). The stage with the largest busy time bounds the throughput.</summary>
/// <param name="Frames">Frames decoded.</param>
/// <param name="FacesFound">Frames with a face (crops run through the CNN).</param>
/// <param name="DetectorRuns">Frames the face detector ran on.</param>
/// <param name="VideoSeconds">Duration covered by the frames.</param>
/// <param name="WallSeconds">Wall-clock time of the whole extraction.</param>
/// <param name="DecodeStageBusySeconds">Decode + detect/track + align thread, busy.</param>
/// <param name="BackboneStageBusySeconds">Emotion CNN thread, busy.</param>
/// <param name="AudioStageBusySeconds">Audio feature thread, busy (ffmpeg's own audio decoding runs in its process).</param>
public sealed record ExtractionStatistics(
    int Frames,
    int FacesFound,
    int DetectorRuns,
    double VideoSeconds,
    double WallSeconds,
    double DecodeStageBusySeconds,
    double BackboneStageBusySeconds,
    double AudioStageBusySeconds)
{
    /// <summary>Frames per wall-clock second.</summary>
    public double FramesPerSecond => Frames / Math.Max(WallSeconds, 1e-9);

    /// <summary>Frames the container declares (its own count, or duration × rate), or null when it does not say.</summary>
    public int? FramesDeclared { get; init; }

    /// <summary>A description of the shortfall when fewer frames decoded than the container declares (a video corrupt in
    /// the middle or cut short), else null. A few frames of slack cover containers whose count is an estimate.</summary>
    public string? Shortfall => FramesDeclared is int declared && Frames < declared - Math.Max(2, declared / 100)
        ? $"decoded {Frames} of the {declared} frames the container declares (corrupt or truncated video)"
        : null;

    /// <summary>Seconds of video per second of wall clock.</summary>
    public double RealTimeFactor => VideoSeconds / Math.Max(WallSeconds, 1e-9);
}
