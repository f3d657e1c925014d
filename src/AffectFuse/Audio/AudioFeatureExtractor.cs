using AffectFuse.IO;
using AffectFuse.Decoding;
using AffectFuse.Setup;

namespace AffectFuse.Audio;

/// <summary>Per-video-frame audio features (see <see cref="AudioFeatureLayout"/>) for the groups in
/// <see cref="AudioFeatureOptions.Groups"/>: the prosody group's 145 columns (10 ms log-mel, pitch, voicing, energy
/// and spectral-shape descriptors pooled (mean, std) over a window centred on each frame's timestamp, plus the mean
/// Silero VAD speech probability) and/or the speech-embedding group's 96 pooled speech_embedding columns; and the
/// audio mask. Holds the models its groups need; safe to use for several videos in turn, or concurrently through
/// separate streams.</summary>
internal sealed class AudioFeatureExtractor : IDisposable
{
    private readonly SileroVad? _vad;
    private readonly SpeechEmbedding? _embedding;
    private readonly bool _ownsModels;

    /// <summary>Options in force.</summary>
    public AudioFeatureOptions Options { get; }

    /// <summary>Uses <paramref name="vad"/>; disposes it with the extractor when <paramref name="ownsVad"/>. The
    /// options' groups must not include <see cref="AudioFeatureGroups.SpeechEmbedding"/>.</summary>
    public AudioFeatureExtractor(SileroVad vad, AudioFeatureOptions? options = null, bool ownsVad = false)
        : this(vad, null, options, ownsVad)
    {
    }

    /// <summary>Uses the models given (null where the options' groups do not need one: <paramref name="vad"/> for
    /// prosody, <paramref name="embedding"/> for the speech embedding); disposes them with the extractor when
    /// <paramref name="ownsModels"/>. Throws <see cref="ArgumentException"/> when a needed model is missing.</summary>
    public AudioFeatureExtractor(SileroVad? vad, SpeechEmbedding? embedding, AudioFeatureOptions? options, bool ownsModels = false)
    {
        Options = options ?? new AudioFeatureOptions();
        Options.Validate();
        if (Options.Groups.HasFlag(AudioFeatureGroups.Prosody) && vad is null)
            throw new ArgumentException("the prosody group needs the Silero VAD model");
        if (Options.Groups.HasFlag(AudioFeatureGroups.SpeechEmbedding) && embedding is null)
            throw new ArgumentException("the speech-embedding group needs the speech-embedding models");
        _vad = vad;
        _embedding = embedding;
        _ownsModels = ownsModels;
    }

    /// <summary>Row width (<see cref="AudioFeatureLayout.DimOf"/> of the options' groups).</summary>
    public int Dim => AudioFeatureLayout.DimOf(Options.Groups);

    /// <summary>Loads from the store the models the options' groups need: the VAD for prosody, the mel and embedding
    /// models for the speech embedding.</summary>
    public static AudioFeatureExtractor Open(ModelStore? store = null, AudioFeatureOptions? options = null)
    {
        options ??= new AudioFeatureOptions();
        options.Validate();
        store ??= ModelStore.Open();
        SileroVad? vad = options.Groups.HasFlag(AudioFeatureGroups.Prosody) ? SileroVad.Open(store) : null;
        try
        {
            SpeechEmbedding? embedding = options.Groups.HasFlag(AudioFeatureGroups.SpeechEmbedding) ? SpeechEmbedding.Open(store) : null;
            return new AudioFeatureExtractor(vad, embedding, options, ownsModels: true);
        }
        catch
        {
            vad?.Dispose();
            throw;
        }
    }

    /// <summary>Starts a streaming pass over one video's PCM (16 kHz mono chunks, consumed lazily); null means the video
    /// has no audio track. A finite <paramref name="horizonSeconds"/> is a live stream's: each row reads only the sound up
    /// to its time + the horizon (<see cref="AudioFeatureStream"/>). <paramref name="profile"/>, when given, receives each
    /// step's CPU time.</summary>
    public AudioFeatureStream OpenStream(IEnumerable<float[]>? pcmChunks, double horizonSeconds = double.PositiveInfinity, StageProfile? profile = null) =>
        new(_vad, _embedding, pcmChunks, Options, horizonSeconds, profile);

    /// <summary>Features of every frame of a video whose whole PCM is in memory; null <paramref name="pcm"/> = no audio track.</summary>
    public AudioFeatureMatrix Extract(float[]? pcm, IReadOnlyList<double> timestamps) =>
        Extract(pcm is null ? null : Chunk(pcm, Options.DecoderChunkSamples), timestamps);

    /// <summary>Features of every frame from streamed PCM chunks; null = no audio track.</summary>
    public AudioFeatureMatrix Extract(IEnumerable<float[]>? pcmChunks, IReadOnlyList<double> timestamps)
    {
        int dim = Dim;
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

    /// <summary>Releases the models if this extractor owns them.</summary>
    public void Dispose()
    {
        if (!_ownsModels)
            return;
        _vad?.Dispose();
        _embedding?.Dispose();
    }
}
