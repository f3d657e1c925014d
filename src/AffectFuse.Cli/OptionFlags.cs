using System.Collections.Frozen;

namespace AffectFuse.Cli;

/// <summary>The library names an option by its property (<c>ModelOptions.Width</c>); the command line shows the flag that
/// sets it, so a user of the tool reads <c>error: --width: …</c> as before. An option without a flag (a setting only a
/// <c>--config</c> file holds) is shown by its property name, as its JSON spells it.</summary>
internal static class OptionFlags
{
    private static readonly FrozenDictionary<string, string> Flags = new Dictionary<string, string>
    {
        ["ClipEvaluationRequest.FeaturesCache"] = "--features-cache",
        ["DatasetSource.Fps"] = "--fps",
        ["EvaluationRequest.ModelPath"] = "--model",
        ["EvaluationRequest.SaveBest"] = "--save-best",
        ["EvaluationRequest.Sweep"] = "--sweep",
        ["ExtractionOptions.Audio"] = "--audio",
        ["ExtractionOptions.BackboneBatchSize"] = "--batch-size",
        ["ExtractionOptions.DetectEvery"] = "--detect-every",
        ["ExtractionOptions.Detector"] = "--detector",
        ["ExtractionOptions.Face"] = "--face",
        ["ExtractionOptions.FaceNetEvery"] = "--face-every",
        ["ExtractionOptions.MaxFrameSize"] = "--max-size",
        ["ExtractionOptions.ModelsRoot"] = "--models",
        ["ExtractionOptions.Visual"] = "--visual",
        ["InferenceOptions.BatchSize"] = "--batch-size",
        ["InferenceOptions.SmoothingHalfWidth"] = "--smooth",
        ["InferenceOptions.Stride"] = "--stride",
        ["InferenceOptions.Window"] = "--window",
        ["InferenceOutputs.AbawCsv"] = "--abaw-csv",
        ["InferenceOutputs.AbawTxtDir"] = "--abaw-txt",
        ["LiveSession.LookaheadSeconds"] = "--lookahead",
        ["LiveSourceOptions.Fps"] = "--fps",
        ["LiveSourceOptions.MaxSize"] = "--max-size",
        ["LiveSourceOptions.QueueSeconds"] = "--queue-seconds",
        ["LiveSourceOptions.StallSeconds"] = "--stall-timeout",
        ["ModalityDropoutOptions.AudioProbability"] = "--p-audio",
        ["ModalityDropoutOptions.VisualProbability"] = "--p-visual",
        ["ModelOptions.AudioLevelReference"] = "--audio-level-reference",
        ["ModelOptions.FacePrior"] = "--face-prior",
        ["TrainOptions.CalibratedFacePrior"] = "--calibrated-face-prior",
        ["ModelOptions.Fusion"] = "--fusion",
        ["ModelOptions.Modalities"] = "--modalities",
        ["ModelOptions.SelfLayers"] = "--layers",
        ["ModelOptions.Width"] = "--width",
        ["RecognizerOptions.ModelThreads"] = "--model-threads",
        ["SlurmOptions.CpusPerTask"] = "--cpus-per-task",
        ["SlurmOptions.SbatchArguments"] = "--sbatch-arg",
        ["SlurmOptions.JobName"] = "--job-name",
        ["SlurmOptions.Tasks"] = "--tasks",
        ["SweepGrid.SmoothingHalfWidths"] = "--sweep-smooth",
        ["SweepGrid.StrideFractions"] = "--sweep-strides",
        ["SweepGrid.Windows"] = "--sweep-windows",
        ["SyntheticOptions.AudioDim"] = "--audio-dim",
        ["SyntheticOptions.MaxFrames"] = "--max-frames",
        ["SyntheticOptions.MinFrames"] = "--min-frames",
        ["SyntheticOptions.NoAudioFraction"] = "--no-audio",
        ["SyntheticOptions.NoFaceFraction"] = "--no-face",
        ["SyntheticOptions.NoiseStd"] = "--noise",
        ["SyntheticOptions.SurplusLabelVideos"] = "--surplus-label-videos",
        ["SyntheticOptions.TestVideos"] = "--test-videos",
        ["SyntheticOptions.TrainVideos"] = "--train-videos",
        ["SyntheticOptions.TwoPersonPairs"] = "--pairs",
        ["SyntheticOptions.UnannotatedFraction"] = "--unannotated",
        ["SyntheticOptions.ValidationVideos"] = "--validation-videos",
        ["SyntheticOptions.VisualDim"] = "--visual-dim",
        ["TrainOptions.BatchSize"] = "--batch",
        ["TrainOptions.ClassWeighting"] = "--class-weighting",
        ["TrainOptions.Epochs"] = "--epochs",
        ["TrainOptions.FocalGamma"] = "--gamma",
        ["TrainOptions.LabelSmoothing"] = "--label-smoothing",
        ["TrainOptions.LearningRate"] = "--lr",
        ["TrainOptions.Mixup"] = "--mixup",
        ["TrainOptions.Patience"] = "--patience",
        ["TrainOptions.Stride"] = "--stride",
        ["TrainOptions.Threads"] = "--threads",
        ["TrainOptions.Window"] = "--window",
        ["TrainingRequest.Options"] = "--config",
    }.ToFrozenDictionary();

    /// <summary>Every option the library names that has a flag here (the tests check each names a real property).</summary>
    public static IEnumerable<string> Mapped => Flags.Keys;

    /// <summary>The flag for <paramref name="option"/>, else its property name.</summary>
    public static string Spell(string option)
        => Flags.TryGetValue(option, out string? flag) ? flag : option[(option.LastIndexOf('.') + 1)..];

    /// <summary>"SUBJECT: PROBLEM" of <paramref name="e"/> in the command line's words.</summary>
    public static string Describe(AffectFuseException e) => e.Describe(Spell);

    /// <summary><paramref name="text"/> (a library notice) in the command line's words.</summary>
    public static string Render(string text) => OptionName.Render(text, Spell);
}
