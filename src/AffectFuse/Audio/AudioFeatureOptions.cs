namespace AffectFuse.Audio;

/// <summary>Options of the audio feature extractor.</summary>
internal sealed record AudioFeatureOptions
{
    private const AudioFeatureGroups AllGroups = AudioFeatureGroups.Prosody | AudioFeatureGroups.SpeechEmbedding;

    /// <summary>Half-width of the pooling window centred on each video frame's timestamp, in seconds.</summary>
    public double HalfWindowSeconds { get; init; } = 0.25;

    /// <summary>Samples per PCM chunk read from the decoder (bounds memory; 1 s by default).</summary>
    public int DecoderChunkSamples { get; init; } = 16000;

    /// <summary>Column groups of each row, in <see cref="AudioFeatureGroups"/> order; prosody only by default.</summary>
    public AudioFeatureGroups Groups { get; init; } = AudioFeatureGroups.Prosody;

    /// <summary>Throws <see cref="ArgumentException"/> on values that cannot work.</summary>
    public void Validate()
    {
        // At least one 10 ms descriptor frame must fit in every window.
        if (!(HalfWindowSeconds >= 0.005) || !double.IsFinite(HalfWindowSeconds))
            throw new ArgumentException($"audio pooling half-window must be at least 0.005 s, got {HalfWindowSeconds}");
        if (DecoderChunkSamples < 1)
            throw new ArgumentException($"decoder chunk must be at least 1 sample, got {DecoderChunkSamples}");
        if (Groups == 0)
            throw new ArgumentException("audio feature groups must include at least one group");
        if ((Groups & ~AllGroups) != 0)
            throw new ArgumentException($"unknown audio feature groups {(int)(Groups & ~AllGroups)}");
    }
}
