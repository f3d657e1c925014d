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

    /// <summary>Checks every value; a bad one is an <see cref="AffectFuseException"/> naming the option and its range.</summary>
    public void Validate()
    {
        OptionCheck.Range("ModalityDropoutOptions.VisualProbability", VisualProbability, 0, 1);
        OptionCheck.Range("ModalityDropoutOptions.AudioProbability", AudioProbability, 0, 1);
        // One uniform draw per window picks "drop face", "drop audio" or neither, which needs the two to fit in [0, 1].
        if (VisualProbability + AudioProbability > 1)
            throw OptionCheck.Fail("ModalityDropoutOptions.VisualProbability", $"{OptionName.Of("ModalityDropoutOptions.VisualProbability")} + {OptionName.Of("ModalityDropoutOptions.AudioProbability")} must be at most 1 (a window never loses both streams), got {VisualProbability} + {AudioProbability}");
        OptionCheck.Range("ModalityDropoutOptions.OcclusionProbability", OcclusionProbability, 0, 1);
        OptionCheck.Range("ModalityDropoutOptions.OcclusionMaxFraction", OcclusionMaxFraction, 0, 1);
    }
}
