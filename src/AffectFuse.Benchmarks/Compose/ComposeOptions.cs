namespace AffectFuse.Benchmarks.Compose;

/// <summary>Every setting of a composed benchmark. The defaults (30 / 8 / 8 clips of 20–40 s, 640×480 at 25 fps) make
/// about 23 minutes of video: composing, extracting, training and evaluating it fits in one hour on 2 cores.</summary>
public sealed record ComposeOptions
{
    /// <summary>Seed of every random choice; the same seed and options give the same manifest and label files.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Clips in the training split.</summary>
    public int TrainClips { get; init; } = 30;

    /// <summary>Clips in the validation split.</summary>
    public int ValidationClips { get; init; } = 8;

    /// <summary>Clips in the test split.</summary>
    public int TestClips { get; init; } = 8;

    /// <summary>Shortest clip, seconds.</summary>
    public double MinClipSeconds { get; init; } = 20;

    /// <summary>Longest clip, seconds.</summary>
    public double MaxClipSeconds { get; init; } = 40;

    /// <summary>Shortest expression segment, seconds.</summary>
    public double MinSegmentSeconds { get; init; } = 2;

    /// <summary>Longest expression segment, seconds.</summary>
    public double MaxSegmentSeconds { get; init; } = 8;

    /// <summary>Probability that a segment keeps the previous segment's class; otherwise the class is drawn from the
    /// prior again. Mixing "stay" with "draw from the prior" keeps the prior as the long-run class share.</summary>
    public double StayProbability { get; init; } = 0.3;

    /// <summary>Relative class weights in Aff-Wild2 order (need not sum to 1); default: Aff-Wild2 train frame shares.</summary>
    public IReadOnlyList<double> ClassPrior { get; init; } = ClassPriors.AffWild2Train;

    /// <summary>Least share of any class with a positive weight, applied after normalising (0 = the prior as given).</summary>
    public double ClassFloor { get; init; } = 0.05;

    /// <summary>Frames per second.</summary>
    public int Fps { get; init; } = 25;

    /// <summary>Frame width in pixels (even, for 4:2:0 video).</summary>
    public int Width { get; init; } = 640;

    /// <summary>Frame height in pixels (even).</summary>
    public int Height { get; init; } = 480;

    /// <summary>Height of the face photograph as a share of the frame height.</summary>
    public double FaceScale { get; init; } = 0.7;

    /// <summary>Share of frames in which the face is absent: off-frame, turned away or covered.</summary>
    public double AbsentFraction { get; init; } = 0.2;

    /// <summary>Shortest absent span, seconds.</summary>
    public double MinAbsentSeconds { get; init; } = 1;

    /// <summary>Longest absent span, seconds.</summary>
    public double MaxAbsentSeconds { get; init; } = 3;

    /// <summary>Share of frames with no utterance (pauses, and Surprise segments, which have no speech).</summary>
    public double SilentFraction { get; init; } = 0.2;

    /// <summary>The background noise.</summary>
    public NoiseKind Noise { get; init; } = NoiseKind.Pink;

    /// <summary>Lowest speech-to-noise ratio, dB (drawn uniformly per clip).</summary>
    public double MinSnrDb { get; init; } = 0;

    /// <summary>Highest speech-to-noise ratio, dB.</summary>
    public double MaxSnrDb { get; init; } = 20;

    /// <summary>Sample rate of the AAC track; ffmpeg resamples the 22,050 Hz mix to it.</summary>
    public int AudioSampleRate { get; init; } = 48000;

    /// <summary>x264 constant rate factor.</summary>
    public int Crf { get; init; } = 23;

    /// <summary>x264 preset.</summary>
    public string Preset { get; init; } = "veryfast";

    /// <summary>EmoDB speakers of the training split.</summary>
    public IReadOnlyList<string> TrainSpeakers { get; init; } = ["03", "08", "09", "10", "11", "13"];

    /// <summary>EmoDB speakers of the validation split.</summary>
    public IReadOnlyList<string> ValidationSpeakers { get; init; } = ["12", "14"];

    /// <summary>EmoDB speakers of the test split.</summary>
    public IReadOnlyList<string> TestSpeakers { get; init; } = ["15", "16"];

    /// <summary>Number of clips of a split.</summary>
    public int ClipsOf(ComposeSplit split) => split switch
    {
        ComposeSplit.Train => TrainClips,
        ComposeSplit.Validation => ValidationClips,
        _ => TestClips,
    };

    /// <summary>Speakers of a split.</summary>
    public IReadOnlyList<string> SpeakersOf(ComposeSplit split) => split switch
    {
        ComposeSplit.Train => TrainSpeakers,
        ComposeSplit.Validation => ValidationSpeakers,
        _ => TestSpeakers,
    };

    /// <summary>Throws an <see cref="AffectFuseException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        // Each rule names the `bench compose` option it concerns.
        static void Check(bool ok, string option, string problem)
        {
            if (!ok) throw new AffectFuseException(option, problem);
        }
        Check(TrainClips >= 0 && ValidationClips >= 0 && TestClips >= 0, "--train-clips", "clip counts must be 0 or more");
        Check(TrainClips + ValidationClips + TestClips > 0, "--train-clips", "nothing to compose: every clip count is 0");
        Check(Fps is >= 1 and <= 120, "--fps", $"fps {Fps} is outside 1..120");
        Check(Width >= 64 && Height >= 64 && Width % 2 == 0 && Height % 2 == 0, "--width", $"frame size {Width}x{Height} must be even and at least 64x64");
        Check(MinSegmentSeconds > 0 && MaxSegmentSeconds >= MinSegmentSeconds, "--min-segment", $"segment length range {MinSegmentSeconds}..{MaxSegmentSeconds} s is empty or not positive");
        Check(MinClipSeconds >= MinSegmentSeconds && MaxClipSeconds >= MinClipSeconds, "--min-seconds",
            $"clip length range {MinClipSeconds}..{MaxClipSeconds} s must be ordered and no shorter than a segment ({MinSegmentSeconds} s)");
        Check(StayProbability is >= 0 and <= 1, "--stay-probability", $"stay probability {StayProbability} is outside 0..1");
        Check(ClassPrior.Count == ExpressionClasses.Count && ClassPrior.All(w => w >= 0 && double.IsFinite(w)) && ClassPrior.Sum() > 0, "--class-prior",
            $"the class prior needs {ExpressionClasses.Count} weights, none negative, not all zero");
        Check(ClassFloor >= 0 && ClassFloor * ClassPrior.Count(w => w > 0) <= 1, "--class-floor", $"class floor {ClassFloor} is negative or too large for {ClassPrior.Count(w => w > 0)} classes");
        Check(FaceScale is > 0.05 and <= 2, "--face-scale", $"face scale {FaceScale} is outside 0.05..2");
        Check(AbsentFraction is >= 0 and < 1, "--absent-fraction", $"absent fraction {AbsentFraction} is outside 0..1");
        Check(MinAbsentSeconds > 0 && MaxAbsentSeconds >= MinAbsentSeconds, nameof(MinAbsentSeconds), $"absent span range {MinAbsentSeconds}..{MaxAbsentSeconds} s is empty or not positive");
        Check(SilentFraction is >= 0 and <= 1, "--silent-fraction", $"silent fraction {SilentFraction} is outside 0..1");
        Check(MaxSnrDb >= MinSnrDb && double.IsFinite(MinSnrDb) && double.IsFinite(MaxSnrDb), "--min-snr", $"SNR range {MinSnrDb}..{MaxSnrDb} dB is empty");
        Check(AudioSampleRate is >= 8000 and <= 96000, "--audio-rate", $"audio sample rate {AudioSampleRate} is outside 8000..96000");
        Check(Crf is >= 0 and <= 51, "--crf", $"crf {Crf} is outside 0..51");
        Check(!string.IsNullOrWhiteSpace(Preset), "--preset", "the x264 preset is empty");
        var all = TrainSpeakers.Concat(ValidationSpeakers).Concat(TestSpeakers).ToList();
        Check(all.Count == all.Distinct().Count(), "--train-speakers", "a speaker is in more than one split");
    }
}
