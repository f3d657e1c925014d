namespace AffectFuse.Data.Synthetic;

/// <summary>What <see cref="SyntheticDataset.Generate"/> wrote: where, how many videos and frames, and the realised
/// class and missing-modality shares.</summary>
public sealed record SyntheticSummary
{
    /// <summary>Folder of the training annotation files.</summary>
    public required string TrainLabelsDir { get; init; }

    /// <summary>Folder of the validation annotation files.</summary>
    public required string ValidationLabelsDir { get; init; }

    /// <summary>Folder of the <c>.npz</c> feature files (both splits).</summary>
    public required string FeaturesDir { get; init; }

    /// <summary>Training video ids, sorted.</summary>
    public required IReadOnlyList<string> TrainVideoIds { get; init; }

    /// <summary>Validation video ids, sorted.</summary>
    public required IReadOnlyList<string> ValidationVideoIds { get; init; }

    /// <summary>Frames in the training split.</summary>
    public required long TrainFrames { get; init; }

    /// <summary>Frames in the validation split.</summary>
    public required long ValidationFrames { get; init; }

    /// <summary>Share of each class among the annotated training frames (index = label).</summary>
    public required IReadOnlyList<double> TrainClassShares { get; init; }

    /// <summary>Share of each class among the annotated validation frames (index = label).</summary>
    public required IReadOnlyList<double> ValidationClassShares { get; init; }

    /// <summary>Share of frames labelled -1, both splits.</summary>
    public required double UnannotatedFraction { get; init; }

    /// <summary>Share of frames with no face, both splits.</summary>
    public required double NoFaceFraction { get; init; }

    /// <summary>Share of frames with no audio, both splits.</summary>
    public required double NoAudioFraction { get; init; }

    /// <summary>The training split as a data source.</summary>
    public DatasetSource TrainSource => new() { FeaturesDir = FeaturesDir, LabelsDir = TrainLabelsDir };

    /// <summary>The validation split as a data source.</summary>
    public DatasetSource ValidationSource => new() { FeaturesDir = FeaturesDir, LabelsDir = ValidationLabelsDir };
}
