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

    /// <summary>Seconds of video per second of wall clock.</summary>
    public double RealTimeFactor => VideoSeconds / Math.Max(WallSeconds, 1e-9);
}
