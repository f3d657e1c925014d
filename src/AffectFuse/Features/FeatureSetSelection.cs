using AffectFuse.Audio;
using AffectFuse.Data;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;

namespace AffectFuse.Features;

/// <summary>Keeps some of the feature groups a file holds: a data set extracted once with every group can train and
/// compare models on any subset of them (the feature-set ablation), each model recording the subset it read.</summary>
internal static class FeatureSetSelection
{
    /// <summary>The video with only the <paramref name="visual"/> visual and <paramref name="audio"/> audio groups (null
    /// keeps that modality's columns as they are). The file must hold every group asked for; otherwise an
    /// <see cref="AffectFuseException"/> naming it.</summary>
    public static VideoFeatures Select(VideoFeatures video, VisualFeatureGroups? visual, AudioFeatureGroups? audio)
    {
        if (visual is null && audio is null)
            return video;
        var meta = video.Meta;
        FeatureMatrix? visualMatrix = null, audioMatrix = null;
        if (visual is { } v)
        {
            (visualMatrix, var set) = Select(VisualFeatureLayout.Table, video.Visual, meta.VisualSet, v, video.VideoId);
            meta = meta with { VisualFeatures = set.Name, VisualVersion = set.Version };
        }
        if (audio is { } a)
        {
            (audioMatrix, var set) = Select(AudioFeatureSets.Table, video.Audio, meta.AudioSet, a, video.VideoId);
            meta = meta with { AudioFeatures = set.Name, AudioVersion = set.Version };
        }
        return video.With(visualMatrix, audioMatrix, meta);
    }

    /// <summary>The columns of <paramref name="video"/> of the sets <paramref name="visual"/> and <paramref name="audio"/> (a
    /// model's recorded sets), when the file holds more groups than they (e.g. extracted with <c>--visual all</c>);
    /// otherwise the video unchanged, for the model's compatibility check to judge.</summary>
    public static VideoFeatures ForSets(VideoFeatures video, FeatureSetId? visual, FeatureSetId? audio)
    {
        VisualFeatureGroups? visualGroups = Narrower(VisualFeatureLayout.Table, visual, video.Meta.VisualSet);
        AudioFeatureGroups? audioGroups = Narrower(AudioFeatureSets.Table, audio, video.Meta.AudioSet);
        return Select(video, visualGroups, audioGroups);
    }

    // The model's groups when the file's set strictly contains them (same extractor versions), else null.
    private static T? Narrower<T>(FeatureGroupTable<T> table, FeatureSetId? wanted, FeatureSetId have) where T : struct, Enum
    {
        if (wanted is null || table.Parse(wanted.Name) is not { } want || table.Parse(have.Name) is not { } present)
            return null;
        bool sameVersions = table.Version(present) == have.Version && table.Version(want) == wanted.Version;
        return sameVersions && !want.Equals(present) && present.HasFlag(want) ? want : null;
    }

    internal static (FeatureMatrix Matrix, FeatureSetId Set) Select<T>(FeatureGroupTable<T> table, FeatureMatrix matrix, FeatureSetId have, T want, string source)
        where T : struct, Enum
    {
        var present = table.Parse(have.Name) ?? throw new AffectFuseException(source,
            $"features '{have}' were not made by 'extract', so their groups cannot be told apart");
        if (table.Version(present) != have.Version)
            throw new AffectFuseException(source, $"features '{have}' come from another version of the extractors than this one ({table.Version(present)})");
        if (!present.HasFlag(want))
            throw new AffectFuseException(source, $"holds the groups '{have.Name}', not all of '{table.Name(want)}'; extract them with those groups");
        var ranges = table.Of(want).Select(g => (table.Offset(present, g.Flag), g.Columns.Count)).ToArray();
        return (matrix.WithColumns(ranges), table.Id(want));
    }
}
