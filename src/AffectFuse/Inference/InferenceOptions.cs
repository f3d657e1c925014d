namespace AffectFuse.Inference;

/// <summary>Sliding-window soft voting and smoothing settings.</summary>
public sealed record InferenceOptions
{
    /// <summary>Window length T in frames.</summary>
    public int Window { get; init; } = 128;

    /// <summary>Stride S between window starts (S = T disables voting).</summary>
    public int Stride { get; init; } = 32;

    /// <summary>Weight each window's vote towards its centre (Hann-like) instead of uniformly.</summary>
    public bool CentreWeighted { get; init; } = true;

    /// <summary>Half-width δ of the centred moving average over probabilities; 0 = none.</summary>
    public int SmoothingHalfWidth { get; init; } = 0;

    /// <summary>Windows per forward pass.</summary>
    public int BatchSize { get; init; } = 16;
}
