namespace AffectFuse.Data;

/// <summary>Loads a data set: pairs label files with feature files and aligns frame counts.</summary>
/// <remarks>Features come from a folder of <c>.npz</c> feature files (<see cref="DatasetSource.FeaturesDir"/>) or from
/// per-modality <c>.npy</c> folders (<see cref="NpyFeatureFolders"/>). Every video of a data set must have the same
/// visual and audio widths.</remarks>
internal static class DatasetLoader
{
    /// <summary>Labelled videos (requires <see cref="DatasetSource.LabelsDir"/>); <paramref name="warn"/> receives alignment warnings.</summary>
    public static IReadOnlyList<LabelledVideo> LoadLabelled(DatasetSource source, Action<string>? warn = null)
    {
        string labelsDir = source.LabelsDir
            ?? throw new AffectFuseException(null, "no labels folder given");
        CheckFeatureFolders(source);
        RequireFolder(labelsDir);
        var labelFiles = Directory.EnumerateFiles(labelsDir, "*" + ExprLabelFile.Extension)
            .Where(p => !Path.GetFileName(p).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (labelFiles.Count == 0)
            throw new AffectFuseException(labelsDir, $"no annotation files (*{ExprLabelFile.Extension}) in this folder");

        var widths = new WidthCheck();
        var videos = new List<LabelledVideo>(labelFiles.Count);
        foreach (string labelFile in labelFiles)
        {
            string id = Path.GetFileNameWithoutExtension(labelFile);
            int[] labels = ExprLabelFile.Read(labelFile);
            if (!FeaturesExist(source, id))
                throw new AffectFuseException(labelFile, $"no features for this video: expected {ExpectedFeatures(source, id)}");
            var features = LoadVideo(source, id, warn);
            string featureFile = FeatureFileName(source, id);
            widths.Check(features, featureFile);
            int[] aligned = FrameAlignment.AlignLabels(labels, features.FrameCount, labelFile, featureFile, source.FrameTolerance, warn);
            videos.Add(new LabelledVideo(features, aligned));
        }
        return videos;
    }

    /// <summary>Features of every video in the source (labels ignored).</summary>
    public static IEnumerable<VideoFeatures> LoadFeatures(DatasetSource source) => LoadFeatures(source, null);

    /// <summary>Features of every video in the source (labels ignored), sorted by video id and read one at a time;
    /// <paramref name="warn"/> hears about re-aligned audio rows.</summary>
    public static IEnumerable<VideoFeatures> LoadFeatures(DatasetSource source, Action<string>? warn) => LoadFeatures(source, VideoIds(source), warn);

    /// <summary>Features of the videos <paramref name="ids"/> of the source, in that order, read one at a time.</summary>
    public static IEnumerable<VideoFeatures> LoadFeatures(DatasetSource source, IReadOnlyList<string> ids, Action<string>? warn)
    {
        return Enumerate();

        IEnumerable<VideoFeatures> Enumerate()
        {
            var widths = new WidthCheck();
            foreach (string id in ids)
            {
                var features = LoadVideo(source, id, warn);
                widths.Check(features, FeatureFileName(source, id));
                yield return features;
            }
        }
    }

    /// <summary>The ids of every video with features in the source, sorted ordinally; an empty or missing folder is an error.</summary>
    public static IReadOnlyList<string> VideoIds(DatasetSource source)
    {
        CheckFeatureFolders(source);
        List<string> ids;
        string folder;
        if (source.FeaturesDir is { } dir)
        {
            folder = dir;
            // A file of several persons (extract --face all) is one video per person, by their ids.
            ids = Directory.EnumerateFiles(dir, "*" + FeatureFile.Extension)
                .Where(f => !Path.GetFileName(f).StartsWith('.'))
                .SelectMany(FeatureFile.ClipIds)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        else
        {
            folder = (source.VisualNpyDir ?? source.AudioNpyDir)!;
            ids = NpyFeatureFolders.VideoIds(source).ToList();
        }
        if (ids.Count == 0)
            throw new AffectFuseException(folder, $"no feature files (*{(source.FeaturesDir is null ? ".npy" : FeatureFile.Extension)}) in this folder");
        return ids;
    }

    /// <summary>Loads the features of one video.</summary>
    public static VideoFeatures LoadVideo(DatasetSource source, string videoId, Action<string>? warn = null)
    {
        CheckFeatureFolders(source);
        if (source.FeaturesDir is { } dir)
            return FeatureFile.LoadPerson(NpzPath(dir, videoId), videoId);
        return NpyFeatureFolders.Load(source, videoId, warn);
    }

    /// <summary>Bytes of the feature files of <paramref name="videoId"/> (the .npz, or the .npy files of both modalities):
    /// the size shards of a feature folder are balanced by, as frames × widths.</summary>
    public static long FeatureBytes(DatasetSource source, string videoId)
    {
        var files = source.FeaturesDir is { } dir
            ? [Path.Combine(dir, videoId + FeatureFile.Extension)]
            : new[] { NpyFeatureFolders.VisualPath(source, videoId) }.Concat(NpyFeatureFolders.AudioCandidates(source, videoId).Take(1));
        return files.OfType<string>().Select(f => new FileInfo(f)).Where(f => f.Exists).Sum(f => f.Length);
    }

    // The .npz of a video id: its own, else (for one person of a video) the video's.
    private static string NpzPath(string dir, string id)
    {
        var candidates = AffWild2Layout.FeatureIdsFor(id).Select(c => Path.Combine(dir, c + FeatureFile.Extension)).ToList();
        return candidates.FirstOrDefault(File.Exists) ?? candidates[0];
    }

    private static bool FeaturesExist(DatasetSource source, string id)
        => source.FeaturesDir is { } dir ? File.Exists(NpzPath(dir, id)) : NpyFeatureFolders.Exists(source, id);

    private static string ExpectedFeatures(DatasetSource source, string id)
        => source.FeaturesDir is { } dir ? NpzPath(dir, id) : NpyFeatureFolders.DescribeExpected(source, id);

    private static string FeatureFileName(DatasetSource source, string id)
        => source.FeaturesDir is { } dir
            ? NpzPath(dir, id)
            : NpyFeatureFolders.VisualPath(source, id) ?? NpyFeatureFolders.AudioCandidates(source, id).First(File.Exists);

    private static void CheckFeatureFolders(DatasetSource source)
    {
        bool npy = source.VisualNpyDir is not null || source.AudioNpyDir is not null;
        if (source.FeaturesDir is not null && npy)
            throw new AffectFuseException(source.FeaturesDir, "give either a folder of .npz feature files or .npy feature folders, not both");
        if (source.FeaturesDir is null && !npy)
            throw new AffectFuseException(null, "no feature folder given (a .npz folder, or visual and/or audio .npy folders)");
        if (!(source.Fps > 0) || !double.IsFinite(source.Fps))
            throw OptionCheck.Bad("DatasetSource.Fps", "must be a number above 0", source.Fps);
        foreach (string? dir in new[] { source.FeaturesDir, source.VisualNpyDir, source.AudioNpyDir })
        {
            if (dir is not null) RequireFolder(dir);
        }
    }

    private static void RequireFolder(string dir)
    {
        if (!Directory.Exists(dir))
            throw new AffectFuseException(dir, "folder not found");
    }

    /// <summary>Feature widths must agree across a data set: the model's input layer has one width per modality.</summary>
    private sealed class WidthCheck
    {
        private (int Visual, int Audio, string File)? _first;

        public void Check(VideoFeatures features, string file)
        {
            if (_first is not { } first)
            {
                _first = (features.VisualDim, features.AudioDim, file);
                return;
            }
            if (features.VisualDim != first.Visual)
                throw new AffectFuseException(file, $"visual feature width {features.VisualDim}, expected {first.Visual} (the width in {first.File})");
            if (features.AudioDim != first.Audio)
                throw new AffectFuseException(file, $"audio feature width {features.AudioDim}, expected {first.Audio} (the width in {first.File})");
        }
    }
}
