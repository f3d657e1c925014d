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

    /// <summary>Checks every value; a bad one is an <see cref="AffectFuseException"/> naming the option and its range.</summary>
    public void Validate()
    {
        OptionCheck.Range("InferenceOptions.Window", Window, 1, int.MaxValue);
        OptionCheck.Range("InferenceOptions.Stride", Stride, 1, Window, "the window");
        OptionCheck.Range("InferenceOptions.SmoothingHalfWidth", SmoothingHalfWidth, 0, int.MaxValue);
        OptionCheck.Range("InferenceOptions.BatchSize", BatchSize, 1, int.MaxValue);
    }

    /// <summary>As <see cref="Validate()"/>, and the window must fit a model whose positional encoding ends at <paramref name="maxLength"/>.</summary>
    internal void Validate(int maxLength)
    {
        OptionCheck.Range("InferenceOptions.Window", Window, 1, maxLength, "the model's maximum positional length");
        Validate();
    }
}
