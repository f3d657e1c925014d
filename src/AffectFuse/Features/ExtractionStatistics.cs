namespace AffectFuse.Features;

/// <summary>Where one video's extraction spent its time: wall clock, and each stage's busy time (its thread's time
/// not spent waiting on a neighbouring stage). The stage with the largest busy time bounds the throughput.</summary>
/// <param name="Frames">Frames decoded.</param>
/// <param name="FacesFound">Frames with a face (crops run through the CNN).</param>
/// <param name="DetectorRuns">Frames the face detector ran on.</param>
/// <param name="VideoSeconds">Duration covered by the frames.</param>
/// <param name="WallSeconds">Wall-clock time of the whole extraction.</param>
/// <param name="DecodeStageBusySeconds">Detect/track + align thread (the frames thread), busy; the decoding it reads runs
/// on a thread of its own (<see cref="DecoderBusySeconds"/>).</param>
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

    /// <summary>The decoding thread (demux, decode, conversion to BGR), busy: its time not spent waiting for the frames
    /// thread to take a frame.</summary>
    public double DecoderBusySeconds { get; init; }

    /// <summary>Frames the container declares (its own count, or duration × rate), or null when it does not say.</summary>
    public int? FramesDeclared { get; init; }

    /// <summary>Stretches skipped because their packets would not decode (see <see cref="Decoding.VideoDecoder.SkippedStretches"/>).</summary>
    public IReadOnlyList<(double From, double To)> SkippedStretches { get; init; } = [];

    /// <summary>A description of the shortfall when fewer frames decoded than the container declares (a video corrupt in
    /// the middle or cut short) or damaged stretches were skipped, else null. A few frames of slack cover containers
    /// whose count is an estimate.</summary>
    public string? Shortfall
    {
        get
        {
            bool fewer = FramesDeclared is int declared && Frames < declared - Math.Max(2, declared / 100);
            if (!fewer && SkippedStretches.Count == 0)
                return null;
            string count = FramesDeclared is int n ? $"decoded {Frames} of the {n} frames the container declares" : $"decoded {Frames} frames";
            if (SkippedStretches.Count == 0)
                return count + " (corrupt or truncated video)";
            var stretches = SkippedStretches.Take(5).Select(s => FormattableString.Invariant($"{s.From:F2}–{s.To:F2} s"));
            string more = SkippedStretches.Count > 5 ? $" and {SkippedStretches.Count - 5} more" : "";
            return $"{count}; skipped damaged stretches at {string.Join(", ", stretches)}{more} (frames there have no labels; the timestamps of the others are kept)";
        }
    }

    /// <summary>CPU time per step of the path (the model's added by the recognizer), or null where not recorded.</summary>
    internal IO.StageProfile? Profile { get; init; }

    /// <summary>Seconds of video per second of wall clock.</summary>
    public double RealTimeFactor => VideoSeconds / Math.Max(WallSeconds, 1e-9);
}
