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

    /// <summary>Checks every value; a bad one is an <see cref="AffectFuseException"/> naming the property and its rule.</summary>
    public void Validate()
    {
        // At least one 10 ms descriptor frame must fit in every window.
        OptionCheck.Range("AudioFeatureOptions.HalfWindowSeconds", HalfWindowSeconds, 0.005, double.PositiveInfinity);
        OptionCheck.Range("AudioFeatureOptions.DecoderChunkSamples", DecoderChunkSamples, 1, int.MaxValue);
        if (Groups == 0 || (Groups & ~AllGroups) != 0)
            throw OptionCheck.Bad("AudioFeatureOptions.Groups", $"must be one or more of {AllGroups}", (int)Groups);
    }
}
