namespace AffectFuse.Data.Synthetic;

/// <summary>Settings of the synthetic Aff-Wild2-like data set. Defaults are sized so a default model trains to a
/// clearly-above-chance macro-F1 in a minute or two on two CPU cores.</summary>
internal sealed record SyntheticOptions
{
    /// <summary>Seed of every random choice; the same seed gives the same files, byte for byte. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Number of training videos, two-person pairs included (each pair counts as two). Default 24.</summary>
    public int TrainVideos { get; init; } = 24;

    /// <summary>Number of validation videos. Default 8.</summary>
    public int ValidationVideos { get; init; } = 8;

    /// <summary>Number of test videos, written to <c>Test_Set</c> like the validation split (held out for a final
    /// score, e.g. by <c>bench ablate</c>). Default 0 (no test split).</summary>
    public int TestVideos { get; init; }

    /// <summary>Number of two-person videos in the training split, each written as <c>&lt;video&gt;_left</c> and
    /// <c>&lt;video&gt;_right</c> with one shared audio track. Default 1.</summary>
    public int TwoPersonPairs { get; init; } = 1;

    /// <summary>Shortest video, in frames. Default 600.</summary>
    public int MinFrames { get; init; } = 600;

    /// <summary>Longest video, in frames. Default 1800.</summary>
    public int MaxFrames { get; init; } = 1800;

    /// <summary>Frame rates a video is drawn from (Aff-Wild2 mixes rates). Default 25 and 30.</summary>
    public IReadOnlyList<int> FrameRates { get; init; } = [25, 30];

    /// <summary>Visual feature width Dv. Default 32.</summary>
    public int VisualDim { get; init; } = 32;

    /// <summary>Audio feature width Da. Default 24.</summary>
    public int AudioDim { get; init; } = 24;

    /// <summary>Median length of an expression segment, in seconds (log-normal spread, clamped to 0.5–10 s). Default 3.</summary>
    public double SegmentSeconds { get; init; } = 3;

    /// <summary>Target share of each class's frames (index = label), normalised to sum 1. Default: Aff-Wild2's training
    /// shares (facts.md): 30.3, 2.8, 1.8, 1.6, 16.3, 13.5, 5.4, 28.3 %.</summary>
    public IReadOnlyList<double> ClassShares { get; init; } = [0.303, 0.028, 0.018, 0.016, 0.163, 0.135, 0.054, 0.283];

    /// <summary>Fraction of frames labelled -1 (not annotated), in spans of 0.5–2 s. Default 0.02.</summary>
    public double UnannotatedFraction { get; init; } = 0.02;

    /// <summary>Fraction of frames with no face (visual mask false, rows zero), in spans of 0.5–4 s. Default 0.15.</summary>
    public double NoFaceFraction { get; init; } = 0.15;

    /// <summary>Fraction of frames with no audio (audio mask false, rows zero), in spans of 0.5–4 s. Default 0.15.</summary>
    public double NoAudioFraction { get; init; } = 0.15;

    /// <summary>Standard deviation of each class-prototype coordinate; sets how separable classes are. Default 0.5.</summary>
    public double PrototypeScale { get; init; } = 0.5;

    /// <summary>Standard deviation of the per-frame Gaussian noise. Default 1.</summary>
    public double NoiseStd { get; init; } = 1.0;

    /// <summary>Standard deviation of the constant per-video offset (person and recording conditions). Default 0.3.</summary>
    public double VideoOffsetStd { get; init; } = 0.3;

    /// <summary>Amplitude of the slow per-video drift (sinusoids with 20–60 s periods). Default 0.3.</summary>
    public double DriftAmplitude { get; init; } = 0.3;

    /// <summary>Number of training videos whose annotation file has one label more than the video has frames, the
    /// organisers' off-by-one (facts.md); loading them warns. Default 0.</summary>
    public int SurplusLabelVideos { get; init; }

    /// <summary>Checks every value; a bad one is an <see cref="AffectFuseException"/> naming the option (as <c>synth</c>
    /// spells it; JSON names for settings only the library sets) and its range.</summary>
    public void Validate()
    {
        OptionCheck.Range("SyntheticOptions.TrainVideos", TrainVideos, 1, 100_000);
        OptionCheck.Range("SyntheticOptions.ValidationVideos", ValidationVideos, 0, 100_000);
        OptionCheck.Range("SyntheticOptions.TestVideos", TestVideos, 0, 100_000);
        OptionCheck.Range("SyntheticOptions.TwoPersonPairs", TwoPersonPairs, 0, TrainVideos / 2, "two people per pair, within the training videos");
        OptionCheck.Range("SyntheticOptions.MinFrames", MinFrames, 1, 10_000_000);
        OptionCheck.Range("SyntheticOptions.MaxFrames", MaxFrames, MinFrames, 10_000_000, $"at least {OptionName.Of("SyntheticOptions.MinFrames")}");
        if (FrameRates.Count == 0 || FrameRates.Any(f => f <= 0))
            throw OptionCheck.Bad("SyntheticOptions.FrameRates", "must be one or more positive rates", string.Join(",", FrameRates));
        OptionCheck.Range("SyntheticOptions.VisualDim", VisualDim, 1, 1 << 16);
        OptionCheck.Range("SyntheticOptions.AudioDim", AudioDim, 1, 1 << 16);
        OptionCheck.Positive("SyntheticOptions.SegmentSeconds", SegmentSeconds);
        if (ClassShares.Count != ExpressionClasses.Count || ClassShares.Any(s => s < 0 || !double.IsFinite(s)) || !(ClassShares.Sum() > 0))
            throw OptionCheck.Bad("SyntheticOptions.ClassShares", $"must be {ExpressionClasses.Count} non-negative values with a positive sum", string.Join(",", ClassShares));
        OptionCheck.Range("SyntheticOptions.UnannotatedFraction", UnannotatedFraction, 0, 1, maxInclusive: false);
        OptionCheck.Range("SyntheticOptions.NoFaceFraction", NoFaceFraction, 0, 1, maxInclusive: false);
        OptionCheck.Range("SyntheticOptions.NoAudioFraction", NoAudioFraction, 0, 1, maxInclusive: false);
        OptionCheck.Range("SyntheticOptions.NoiseStd", NoiseStd, 0, double.PositiveInfinity);
        OptionCheck.Range("SyntheticOptions.PrototypeScale", PrototypeScale, 0, double.PositiveInfinity);
        OptionCheck.Range("SyntheticOptions.VideoOffsetStd", VideoOffsetStd, 0, double.PositiveInfinity);
        OptionCheck.Range("SyntheticOptions.DriftAmplitude", DriftAmplitude, 0, double.PositiveInfinity);
        OptionCheck.Range("SyntheticOptions.SurplusLabelVideos", SurplusLabelVideos, 0, TrainVideos, "within the training videos");
    }
}
