using AffectFuse.Decoding;
using AffectFuse.Setup;

namespace AffectFuse.Audio;

/// <summary>Per-video-frame audio features (see <see cref="AudioFeatureLayout"/> for the 145 columns): 10 ms log-mel,
/// pitch, voicing, energy and spectral-shape descriptors pooled (mean, std) over a window centred on each frame's
/// timestamp, plus the mean Silero VAD speech probability; and the audio mask. Holds the VAD model; safe to use for
/// several videos in turn, or concurrently through separate streams.</summary>
public sealed class AudioFeatureExtractor : IDisposable
{
    private readonly SileroVad _vad;
    private readonly bool _ownsVad;

    /// <summary>Options in force.</summary>
    public AudioFeatureOptions Options { get; }

    /// <summary>Uses <paramref name="vad"/>; disposes it with the extractor when <paramref name="ownsVad"/>.</summary>
    public AudioFeatureExtractor(SileroVad vad, AudioFeatureOptions? options = null, bool ownsVad = false)
    {
        _vad = vad;
        _ownsVad = ownsVad;
        Options = options ?? new AudioFeatureOptions();
        Options.Validate();
    }

    /// <summary>Loads the VAD model from the store.</summary>
    public static AudioFeatureExtractor Open(ModelStore? store = null, AudioFeatureOptions? options = null) =>
        new(SileroVad.Open(store), options, ownsVad: true);

    /// <summary>Starts a streaming pass over one video's PCM (16 kHz mono chunks, consumed lazily); null means the video
    /// has no audio track.</summary>
    public AudioFeatureStream OpenStream(IEnumerable<float[]>? pcmChunks) => new(_vad, pcmChunks, Options);

    /// <summary>Features of every frame of a video whose whole PCM is in memory; null <paramref name="pcm"/> = no audio track.</summary>
    public AudioFeatureMatrix Extract(float[]? pcm, IReadOnlyList<double> timestamps) =>
        Extract(pcm is null ? null : Chunk(pcm, Options.DecoderChunkSamples), timestamps);

    /// <summary>Features of every frame from streamed PCM chunks; null = no audio track.</summary>
    public AudioFeatureMatrix Extract(IEnumerable<float[]>? pcmChunks, IReadOnlyList<double> timestamps)
    {
        int dim = AudioFeatureLayout.Dim;
        var values = new float[(long)timestamps.Count * dim];
        var mask = new bool[timestamps.Count];
        using var stream = OpenStream(pcmChunks);
        for (int t = 0; t < timestamps.Count; t++)
            mask[t] = stream.Next(timestamps[t], values.AsSpan(t * dim, dim));
        return new AudioFeatureMatrix(values, mask, dim);
    }

    /// <summary>Features of every frame of a media file, decoding its first audio track with ffmpeg in bounded memory.
    /// A file without an audio track gives zero rows and an all-false mask.</summary>
    public AudioFeatureMatrix ExtractFile(string mediaPath, IReadOnlyList<double> timestamps, AudioDecoder? decoder = null)
    {
        using var reader = (decoder ?? new AudioDecoder()).Open(mediaPath);
        return Extract(reader?.ReadChunks(Options.DecoderChunkSamples), timestamps);
    }

    private static IEnumerable<float[]> Chunk(float[] pcm, int size)
    {
        for (int start = 0; start < pcm.Length; start += size)
            yield return pcm[start..Math.Min(pcm.Length, start + size)];
    }

    /// <summary>Releases the VAD model if this extractor owns it.</summary>
    public void Dispose()
    {
        if (_ownsVad)
            _vad.Dispose();
    }
}
