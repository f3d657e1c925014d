namespace AffectFuse.Data.Synthetic;

/// <summary>What <see cref="SyntheticDataset.Generate"/> wrote: where, how many videos and frames, and the realised
/// class and missing-modality shares.</summary>
internal sealed record SyntheticSummary
{
    /// <summary>Folder of the training annotation files.</summary>
    public required string TrainLabelsDir { get; init; }

    /// <summary>Folder of the validation annotation files.</summary>
    public required string ValidationLabelsDir { get; init; }

    /// <summary>Folder of the <c>.npz</c> feature files (both splits).</summary>
    public required string FeaturesDir { get; init; }

    /// <summary>Folder of the test annotation files; null when no test split was written.</summary>
    public string? TestLabelsDir { get; init; }

    /// <summary>Training video ids, sorted.</summary>
    public required IReadOnlyList<string> TrainVideoIds { get; init; }

    /// <summary>Validation video ids, sorted.</summary>
    public required IReadOnlyList<string> ValidationVideoIds { get; init; }

    /// <summary>Test video ids, sorted (empty without a test split).</summary>
    public IReadOnlyList<string> TestVideoIds { get; init; } = [];

    /// <summary>Frames in the test split.</summary>
    public long TestFrames { get; init; }

    /// <summary>Share of each class among the annotated test frames (index = label; zeros without a test split).</summary>
    public IReadOnlyList<double> TestClassShares { get; init; } = new double[ExpressionClasses.Count];

    /// <summary>Frames in the training split.</summary>
    public required long TrainFrames { get; init; }

    /// <summary>Frames in the validation split.</summary>
    public required long ValidationFrames { get; init; }

    /// <summary>Share of each class among the annotated training frames (index = label).</summary>
    public required IReadOnlyList<double> TrainClassShares { get; init; }

    /// <summary>Share of each class among the annotated validation frames (index = label).</summary>
    public required IReadOnlyList<double> ValidationClassShares { get; init; }

    /// <summary>Share of frames labelled -1, all splits.</summary>
    public required double UnannotatedFraction { get; init; }

    /// <summary>Share of frames with no face, all splits.</summary>
    public required double NoFaceFraction { get; init; }

    /// <summary>Share of frames with no audio, all splits.</summary>
    public required double NoAudioFraction { get; init; }

    /// <summary>The training split as a data source.</summary>
    public DatasetSource TrainSource => new() { FeaturesDir = FeaturesDir, LabelsDir = TrainLabelsDir };

    /// <summary>The validation split as a data source.</summary>
    public DatasetSource ValidationSource => new() { FeaturesDir = FeaturesDir, LabelsDir = ValidationLabelsDir };

    /// <summary>The test split as a data source; an error when no test split was written.</summary>
    public DatasetSource TestSource => new()
    {
        FeaturesDir = FeaturesDir,
        LabelsDir = TestLabelsDir ?? throw new AffectFuseException(null, "this synthetic data set has no test split (TestVideos = 0)"),
    };
}
