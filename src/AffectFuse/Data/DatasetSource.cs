namespace AffectFuse.Data;

/// <summary>Where a data set's features (and optionally labels) live.</summary>
public sealed record DatasetSource
{
    /// <summary>Folder of <c>.npz</c> feature files (one per video), or null when using per-modality <c>.npy</c> folders.</summary>
    public string? FeaturesDir { get; init; }

    /// <summary>"Bring your own features": folder of visual <c>.npy</c> files <c>[T,Dv]</c>, one per video.</summary>
    public string? VisualNpyDir { get; init; }

    /// <summary>"Bring your own features": folder of audio <c>.npy</c> files <c>[T,Da]</c>, one per video.</summary>
    public string? AudioNpyDir { get; init; }

    /// <summary>Folder of EXPR annotation <c>.txt</c> files; null for unlabelled inference.</summary>
    public string? LabelsDir { get; init; }

    /// <summary>Frame rate assumed for <c>.npy</c> features, which carry no timestamps.</summary>
    public double Fps { get; init; } = 30;

    /// <summary>Largest difference between a video's label count and feature frame count that is absorbed (surplus
    /// labels dropped, missing ones set to -1) with a warning; a larger one is an error.</summary>
    public int FrameTolerance { get; init; } = FrameAlignment.DefaultTolerance;
}
