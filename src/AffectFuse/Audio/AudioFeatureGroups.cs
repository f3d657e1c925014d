namespace AffectFuse.Audio;

/// <summary>Groups of columns an audio feature row can hold; the row is the enabled groups' columns in this order
/// (see <see cref="AudioFeatureLayout.DimOf"/>).</summary>
[Flags]
public enum AudioFeatureGroups
{
    /// <summary>The 145 hand-crafted columns: pooled 10 ms log-mel, pitch, voicing, energy and spectral-shape
    /// descriptors (mean, std) and the mean Silero VAD speech probability.</summary>
    Prosody = 1,

    /// <summary>The 96 columns of Google's speech_embedding (openWakeWord's ONNX port), averaged over the embeddings
    /// whose centre lies in the pooling window (<see cref="SpeechEmbedding"/>).</summary>
    SpeechEmbedding = 2,
}
