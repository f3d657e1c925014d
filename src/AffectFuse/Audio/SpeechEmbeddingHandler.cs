namespace AffectFuse.Audio;

/// <summary>Receives embedding <paramref name="index"/> (96 values, valid only during the call) from a
/// <see cref="SpeechEmbeddingStream"/>.</summary>
internal delegate void SpeechEmbeddingHandler(long index, ReadOnlySpan<float> embedding);
