namespace AffectFuse.Audio;

/// <summary>Column layout of the audio features. Every 10 ms analysis frame yields <see cref="DescriptorCount"/>
/// descriptors; a video-frame row holds their means (columns 0–71), then their standard deviations (72–143), both
/// over the frames in the pooling window, then the mean Silero VAD speech probability (144): <see cref="Dim"/> = 145.
/// <c>log_f0</c> statistics use voiced frames only (0 when none). Those 145 columns are the
/// <see cref="AudioFeatureGroups.Prosody"/> group; when <see cref="AudioFeatureGroups.SpeechEmbedding"/> is on, its
/// <see cref="SpeechEmbeddingDim"/> columns follow (or stand alone): <see cref="DimOf"/> and <see cref="ColumnNamesOf"/>
/// give the layout of a row for a set of groups.</summary>
internal static class AudioFeatureLayout
{
    /// <summary>Extractor name stored in FeatureMeta.</summary>
    public const string Name = "affectfuse-audio";

    /// <summary>Extractor version stored in FeatureMeta; bump when a column's meaning changes.</summary>
    public const string Version = "2"; // 2: the VAD column hears screamed speech (SileroVadPass on the signal slowed to a third)

    /// <summary>Log-mel bands (HTK mel, 0–8000 Hz).</summary>
    public const int MelBands = 64;

    /// <summary>Per-10 ms descriptor index: ln(F0 / Hz) on voiced frames, else 0.</summary>
    public const int LogF0 = MelBands;

    /// <summary>Per-10 ms descriptor index: YIN voicing decision, 1 or 0.</summary>
    public const int Voiced = MelBands + 1;

    /// <summary>Per-10 ms descriptor index: YIN periodicity 1 − d'(τ), in [0, 1].</summary>
    public const int Periodicity = MelBands + 2;

    /// <summary>Per-10 ms descriptor index: ln RMS of the 25 ms frame, floored at ln 1e-5.</summary>
    public const int LogEnergy = MelBands + 3;

    /// <summary>Per-10 ms descriptor index: spectral centroid in kHz (magnitude spectrum).</summary>
    public const int CentroidKHz = MelBands + 4;

    /// <summary>Per-10 ms descriptor index: spectral flatness of the power spectrum.</summary>
    public const int Flatness = MelBands + 5;

    /// <summary>Per-10 ms descriptor index: 85 % roll-off in kHz (magnitude spectrum).</summary>
    public const int RolloffKHz = MelBands + 6;

    /// <summary>Per-10 ms descriptor index: zero-crossing rate (crossings per sample pair).</summary>
    public const int ZeroCrossingRate = MelBands + 7;

    /// <summary>Descriptors per 10 ms frame.</summary>
    public const int DescriptorCount = MelBands + 8;

    /// <summary>Column of the mean VAD speech probability.</summary>
    public const int VadColumn = 2 * DescriptorCount;

    /// <summary>Width Da of an audio feature row.</summary>
    public const int Dim = 2 * DescriptorCount + 1;

    /// <summary>Columns of the <see cref="AudioFeatureGroups.SpeechEmbedding"/> group: the mean of each of the 96
    /// speech_embedding values over the embeddings whose centre lies in the pooling window (or the one nearest the
    /// frame's timestamp when none does). No std: the embeddings overlap by 90 % (0.78 s span, 80 ms stride), so the
    /// 6 or so in a 0.5 s window barely vary and a std would double the width for little information.</summary>
    public const int SpeechEmbeddingDim = SpeechEmbedding.Dim;

    /// <summary>Row width for <paramref name="groups"/>: 145 for the prosody group, plus 96 for the embedding group.</summary>
    public static int DimOf(AudioFeatureGroups groups) =>
        (groups.HasFlag(AudioFeatureGroups.Prosody) ? Dim : 0) + (groups.HasFlag(AudioFeatureGroups.SpeechEmbedding) ? SpeechEmbeddingDim : 0);

    /// <summary>First column of the embedding group in a row for <paramref name="groups"/> (after the prosody columns).</summary>
    public static int SpeechEmbeddingOffset(AudioFeatureGroups groups) => groups.HasFlag(AudioFeatureGroups.Prosody) ? Dim : 0;

    /// <summary>Column names of a row for <paramref name="groups"/>: <see cref="ColumnNames"/> when the prosody group
    /// is on, then "speech_emb_00_mean" … "speech_emb_95_mean" when the embedding group is on.</summary>
    public static IReadOnlyList<string> ColumnNamesOf(AudioFeatureGroups groups) =>
        (groups.HasFlag(AudioFeatureGroups.Prosody) ? ColumnNames : []).Concat(
            groups.HasFlag(AudioFeatureGroups.SpeechEmbedding) ? SpeechEmbeddingColumnNames : []).ToArray();

    private static readonly string[] SpeechEmbeddingColumnNames =
        Enumerable.Range(0, SpeechEmbeddingDim).Select(i => $"speech_emb_{i:D2}_mean").ToArray();

    /// <summary>Names of the per-10 ms descriptors.</summary>
    public static IReadOnlyList<string> DescriptorNames { get; } = BuildDescriptorNames();

    /// <summary>Names of the <see cref="Dim"/> row columns ("logmel_00_mean", …, "zcr_std", "vad_speech_mean").</summary>
    public static IReadOnlyList<string> ColumnNames { get; } =
        DescriptorNames.Select(n => n + "_mean").Concat(DescriptorNames.Select(n => n + "_std")).Append("vad_speech_mean").ToArray();

    private static string[] BuildDescriptorNames()
    {
        var names = new List<string>(DescriptorCount);
        for (int b = 0; b < MelBands; b++)
            names.Add($"logmel_{b:D2}");
        names.AddRange(["log_f0", "voiced", "periodicity", "log_energy", "centroid_khz", "flatness", "rolloff_khz", "zcr"]);
        return names.ToArray();
    }
}
