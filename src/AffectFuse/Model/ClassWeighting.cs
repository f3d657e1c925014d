namespace AffectFuse.Model;

/// <summary>How α is derived for the focal loss.</summary>
public enum ClassWeighting
{
    /// <summary>α = 1 for every class.</summary>
    Uniform,
    /// <summary>α ∝ (1 / frequency)^power, normalised to mean 1.</summary>
    InverseFrequency,
}
