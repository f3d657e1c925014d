using AffectFuse.Audio;

namespace AffectFuse.Features.Sets;

/// <summary>Meta names, widths and command-line names of the audio feature groups (<see cref="AudioFeatureGroups"/>).</summary>
internal static class AudioFeatureSets
{
    /// <summary>What models without a recorded feature set read (the original 145 prosody and log-mel columns).</summary>
    public const AudioFeatureGroups Legacy = AudioFeatureGroups.Prosody;

    /// <summary>What <c>extract</c> computes when not told otherwise: the shipped model's set, chosen on validation by the
    /// feature ablation (README, "Feature sets").</summary>
    public const AudioFeatureGroups Default = AudioFeatureGroups.Prosody | AudioFeatureGroups.SpeechEmbedding;

    /// <summary>Every group.</summary>
    public const AudioFeatureGroups All = AudioFeatureGroups.Prosody | AudioFeatureGroups.SpeechEmbedding;

    /// <summary>Command-line names of the groups (<c>--audio</c>).</summary>
    public static readonly IReadOnlyDictionary<string, AudioFeatureGroups> ShortNames = new Dictionary<string, AudioFeatureGroups>
    {
        ["prosody"] = AudioFeatureGroups.Prosody,
        ["embedding"] = AudioFeatureGroups.SpeechEmbedding,
        ["all"] = All,
    };

    internal static readonly FeatureGroupTable<AudioFeatureGroups> Table = new("audio", "ExtractionOptions.Audio",
    [
        new(AudioFeatureGroups.Prosody, AudioFeatureLayout.Name, AudioFeatureLayout.Version, AudioFeatureLayout.ColumnNames),
        new(AudioFeatureGroups.SpeechEmbedding, "openwakeword-speech-embedding", "0.1.1", AudioFeatureLayout.ColumnNamesOf(AudioFeatureGroups.SpeechEmbedding)),
    ]);

    /// <summary>True when <paramref name="groups"/> is a non-empty set of audio groups.</summary>
    public static bool IsSet(AudioFeatureGroups groups) => Table.IsSet(groups);

    /// <summary>Width Da of a row of <paramref name="groups"/>.</summary>
    public static int Width(AudioFeatureGroups groups) => Table.Width(groups);

    /// <summary>The name recorded in <see cref="Data.FeatureMeta.AudioFeatures"/>.</summary>
    public static string Name(AudioFeatureGroups groups) => Table.Name(groups);

    /// <summary>The versions recorded in <see cref="Data.FeatureMeta.AudioVersion"/>.</summary>
    public static string Version(AudioFeatureGroups groups) => Table.Version(groups);

    /// <summary>The set as a model records it (<see cref="Model.ModelOptions.AudioFeatures"/>).</summary>
    public static Data.FeatureSetId Id(AudioFeatureGroups groups) => Table.Id(groups);

    /// <summary>The groups a meta name stands for; null for features from elsewhere.</summary>
    public static AudioFeatureGroups? Parse(string name) => Table.Parse(name);

    /// <summary>The <c>--audio</c> spelling of <paramref name="groups"/>.</summary>
    public static string ToOption(AudioFeatureGroups groups) => Table.ToOption(groups, ShortNames);

    /// <summary>Parses <c>--audio</c>'s comma-separated list.</summary>
    public static AudioFeatureGroups ParseOption(string value) => Table.ParseOption(value, ShortNames);
}
