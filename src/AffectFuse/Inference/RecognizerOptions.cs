using AffectFuse.Features;

namespace AffectFuse.Inference;

/// <summary>Settings of <see cref="Recognizer"/>.</summary>
public sealed record RecognizerOptions
{
    /// <summary>How features are extracted from video files.</summary>
    public ExtractionOptions Extraction { get; init; } = new();

    /// <summary>Soft voting and smoothing; null uses the settings the checkpoint was validated with.</summary>
    public InferenceOptions? Inference { get; init; }

    /// <summary>Torch intra-op threads for the temporal model (it runs after extraction, alone); 0 = one per core.</summary>
    public int ModelThreads { get; init; }
}
