namespace AffectFuse.Benchmarks.Compose;

/// <summary>The three splits a composed benchmark has; each is built only from the matching data splits.</summary>
public enum ComposeSplit
{
    /// <summary>Training clips.</summary>
    Train,
    /// <summary>Validation clips (for choosing settings).</summary>
    Validation,
    /// <summary>Test clips (final report only).</summary>
    Test,
}
