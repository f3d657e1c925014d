namespace AffectFuse.Benchmarks.Compose;

/// <summary>The background noise mixed under the speech.</summary>
public enum NoiseKind
{
    /// <summary>Pink (1/f) noise: more like room and street noise than white.</summary>
    Pink,
    /// <summary>White noise.</summary>
    White,
}
