namespace AffectFuse.Model;

/// <summary>Training-time modality dropout: whole-stream drops (never both) and optional face-occlusion spans.</summary>
public sealed record ModalityDropoutOptions
{
    /// <summary>Probability of dropping the whole visual stream of a sample.</summary>
    public double VisualProbability { get; init; } = 0.2;

    /// <summary>Probability of dropping the whole audio stream of a sample.</summary>
    public double AudioProbability { get; init; } = 0.2;

    /// <summary>Probability that a sample gets one random contiguous span of face frames masked.</summary>
    public double OcclusionProbability { get; init; } = 0.3;

    /// <summary>Longest occlusion span as a fraction of the window.</summary>
    public double OcclusionMaxFraction { get; init; } = 0.3;
}
