using System.Text.Json.Serialization;

namespace AffectFuse.Data;

/// <summary>Provenance stored with every feature file: frame rate and the extractors that made the features.</summary>
public sealed record FeatureMeta
{
    /// <summary>Frames per second of the source video (nominal; timestamps are authoritative).</summary>
    public double Fps { get; init; } = 30;

    /// <summary>Name of the visual feature extractor, e.g. "human-emotion-minixception".</summary>
    public string VisualFeatures { get; init; } = "unknown";

    /// <summary>Version of the visual extractor.</summary>
    public string VisualVersion { get; init; } = "0";

    /// <summary>Name of the audio feature extractor.</summary>
    public string AudioFeatures { get; init; } = "unknown";

    /// <summary>Version of the audio extractor.</summary>
    public string AudioVersion { get; init; } = "0";

    /// <summary>The visual feature set, as a model records it.</summary>
    [JsonIgnore]
    public FeatureSetId VisualSet => new(VisualFeatures, VisualVersion);

    /// <summary>The audio feature set, as a model records it.</summary>
    [JsonIgnore]
    public FeatureSetId AudioSet => new(AudioFeatures, AudioVersion);
}

/// <summary>Which extractor (and version) made one modality's features: what a model was trained on, so that it can refuse
/// features of another set even when their widths agree.</summary>
public sealed record FeatureSetId(string Name, string Version)
{
    /// <summary>False for sets whose name says nothing checkable: unknown provenance, or <c>.npy</c> folders (named after
    /// the folder, which differs between a user's training and test data).</summary>
    [JsonIgnore]
    internal bool IsCheckable => Name is not ("unknown" or "none") && !Name.StartsWith("npy:", StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} (version {Version})";
}

/// <summary>Per-frame visual and audio features of one video, row-major <c>[T, D]</c> arrays with masks.</summary>
public sealed class VideoFeatures
{
    /// <summary>Video identifier (file stem, e.g. "1-30-1280x720" or "10-60-1280x720_right").</summary>
    public required string VideoId { get; init; }

    /// <summary>Visual features <c>[T, Dv]</c> (rows of absent faces are zeros), in their stored precision.</summary>
    public required FeatureMatrix Visual { get; init; }

    /// <summary>True where a face was present.</summary>
    public required bool[] VisualMask { get; init; }

    /// <summary>Audio features <c>[T, Da]</c>, in their stored precision.</summary>
    public required FeatureMatrix Audio { get; init; }

    /// <summary>True where audio is present.</summary>
    public required bool[] AudioMask { get; init; }

    /// <summary>Frame times in seconds.</summary>
    public required double[] Timestamps { get; init; }

    /// <summary>Which person of the video these rows follow (every face tracked: 1, 2, … in order of first appearance);
    /// null when one face was followed.</summary>
    public int? Person { get; init; }

    /// <summary>The followed face's box per frame as fractions of the frame, <c>[T, 4]</c> (x, y, width, height; NaN
    /// where absent); null when not known (features from files).</summary>
    public float[]? Boxes { get; init; }

    /// <summary>The share of the voice that is this person's, per frame (0–1: how much more in step with the sound this
    /// person's mouth moves than the others' do; 1 for a lone face); null = all of it.</summary>
    public float[]? VoiceShare { get; init; }

    /// <summary>Width of a visual feature row.</summary>
    public int VisualDim => Visual.Width;

    /// <summary>Width of an audio feature row.</summary>
    public int AudioDim => Audio.Width;

    /// <summary>Bytes of feature values held in memory (both modalities, in their stored precision).</summary>
    public long FeatureBytes => Visual.ByteCount + Audio.ByteCount;

    /// <summary>Provenance.</summary>
    public FeatureMeta Meta { get; init; } = new();

    /// <summary>Number of frames T.</summary>
    public int FrameCount => Timestamps.Length;

    /// <summary>A copy with other feature matrices or meta (the rest shared, not copied).</summary>
    public VideoFeatures With(FeatureMatrix? visual = null, FeatureMatrix? audio = null, FeatureMeta? meta = null) =>
        Copy(visual ?? Visual, audio ?? Audio, AudioMask, meta ?? Meta, VoiceShare);

    /// <summary>A copy with <paramref name="share"/> as its <see cref="VoiceShare"/> (the rest shared, not copied).</summary>
    internal VideoFeatures WithVoiceShare(float[] share) => Copy(Visual, Audio, AudioMask, Meta, share);

    /// <summary>A copy whose sound is absent throughout (the person as if silent), for fusing by <see cref="VoiceShare"/>.</summary>
    internal VideoFeatures WithoutVoice() => Copy(Visual, Audio, new bool[FrameCount], Meta, VoiceShare);

    /// <summary>A copy under another id (one person of a video read as its own video).</summary>
    internal VideoFeatures Renamed(string videoId) => Copy(Visual, Audio, AudioMask, Meta, VoiceShare, videoId);

    private VideoFeatures Copy(FeatureMatrix visual, FeatureMatrix audio, bool[] audioMask, FeatureMeta meta, float[]? voiceShare,
        string? videoId = null) => new()
    {
        VideoId = videoId ?? VideoId,
        Visual = visual,
        VisualMask = VisualMask,
        Audio = audio,
        AudioMask = audioMask,
        Timestamps = Timestamps,
        Meta = meta,
        Person = Person,
        Boxes = Boxes,
        VoiceShare = voiceShare,
    };

    /// <summary>Checks shapes and finiteness; throws <see cref="AffectFuseException"/> naming <paramref name="source"/>.</summary>
    public void Validate(string source)
    {
        int t = FrameCount;
        // An empty video would train to NaN and predict nothing, silently: refuse it where it enters.
        if (t == 0)
            throw new AffectFuseException(source, "holds no frames (T = 0)");
        if (VisualMask.Length != t || AudioMask.Length != t)
            throw new AffectFuseException(source, $"masks have {VisualMask.Length}/{AudioMask.Length} frames but timestamps have {t}");
        if (Visual.Rows != t)
            throw new AffectFuseException(source, $"visual has {Visual.Rows} rows but timestamps have {t} frames");
        if (Audio.Rows != t)
            throw new AffectFuseException(source, $"audio has {Audio.Rows} rows but timestamps have {t} frames");
        CheckTimestamps(source);
        Visual.CheckFinite(source, "visual");
        Audio.CheckFinite(source, "audio");
    }

    // Timestamps place the audio and the labels; NaN or time running backwards would reach the CSV and misalign both.
    private void CheckTimestamps(string source)
    {
        double previous = double.NegativeInfinity;
        for (int i = 0; i < Timestamps.Length; i++)
        {
            double time = Timestamps[i];
            if (!double.IsFinite(time))
                throw new AffectFuseException(source, $"timestamp of frame {i} is {time}; timestamps must be finite seconds");
            if (time < previous)
                throw new AffectFuseException(source, $"timestamps go backwards at frame {i} ({previous} s, then {time} s)");
            previous = time;
        }
    }
}
