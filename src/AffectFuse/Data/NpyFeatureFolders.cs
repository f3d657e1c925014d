namespace AffectFuse.Data;

/// <summary>"Bring your own features": per-modality folders of <c>&lt;video&gt;.npy</c> arrays [T,D] (float16/32/64),
/// as Python extractors write them, turned into <see cref="VideoFeatures"/> (float16 stays float16 in memory).</summary>
/// <remarks>A row that is all zeros counts as missing (mask false), the convention of extractors that zero-fill
/// frames without a face or without sound. Timestamps are <c>i / fps</c>. A modality without a folder becomes one
/// all-zero, fully masked column. Two-person Aff-Wild2 videos (<c>X_left</c>, <c>X_right</c>) share one audio track,
/// so the audio lookup for <c>X_left</c> tries <c>X_left.npy</c>, then <c>X.npy</c>.</remarks>
internal static class NpyFeatureFolders
{
    /// <summary>Video ids available: the visual folder's <c>.npy</c> stems, or the audio folder's when there is no
    /// visual folder; sorted ordinally.</summary>
    public static IReadOnlyList<string> VideoIds(DatasetSource source)
    {
        string dir = source.VisualNpyDir ?? source.AudioNpyDir
            ?? throw new AffectFuseException(null, "no feature folder given (a .npz folder, or visual and/or audio .npy folders)");
        return Directory.EnumerateFiles(dir, "*.npy")
            .Select(Path.GetFileName)
            .Where(n => n is not null && !n.StartsWith('.'))
            .Select(n => Path.GetFileNameWithoutExtension(n!))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The visual file expected for <paramref name="videoId"/>, or null without a visual folder.</summary>
    public static string? VisualPath(DatasetSource source, string videoId)
        => source.VisualNpyDir is null ? null : Path.Combine(source.VisualNpyDir, videoId + ".npy");

    /// <summary>Audio files tried for <paramref name="videoId"/>, in order (own track, then the shared two-person track).</summary>
    public static IReadOnlyList<string> AudioCandidates(DatasetSource source, string videoId)
    {
        if (source.AudioNpyDir is not { } dir) return [];
        return AffWild2Layout.FeatureIdsFor(videoId).Select(id => Path.Combine(dir, id + ".npy")).ToList();
    }

    /// <summary>Describes where the features of <paramref name="videoId"/> are expected, for error messages.</summary>
    public static string DescribeExpected(DatasetSource source, string videoId)
    {
        var parts = new List<string>();
        if (VisualPath(source, videoId) is { } v) parts.Add(v);
        var audio = AudioCandidates(source, videoId);
        if (audio.Count > 0) parts.Add(string.Join(" or ", audio));
        return string.Join(" and ", parts);
    }

    /// <summary>True when every modality folder given has a file for <paramref name="videoId"/>.</summary>
    public static bool Exists(DatasetSource source, string videoId)
        => (VisualPath(source, videoId) is not { } v || File.Exists(v))
           && (source.AudioNpyDir is null || AudioCandidates(source, videoId).Any(File.Exists));

    /// <summary>Loads one video; <paramref name="warn"/> hears about audio rows re-aligned to the visual count.</summary>
    public static VideoFeatures Load(DatasetSource source, string videoId, Action<string>? warn = null)
    {
        if (source.VisualNpyDir is null && source.AudioNpyDir is null)
            throw new AffectFuseException(null, "no .npy feature folder given");
        if (!Exists(source, videoId))
            throw new AffectFuseException(DescribeExpected(source, videoId), $"no features for video '{videoId}'");

        string? visualPath = VisualPath(source, videoId);
        string? audioPath = AudioCandidates(source, videoId).FirstOrDefault(File.Exists);
        var visual = visualPath is null ? null : ReadMatrix(visualPath);
        var audio = audioPath is null ? null : ReadMatrix(audioPath);

        int frames = visual?.Rows ?? audio!.Rows;
        if (visual is not null && audio is not null && audio.Rows != frames)
        {
            int diff = audio.Rows - frames;
            warn?.Invoke(diff > 0
                ? $"{audioPath}: {audio.Rows} audio rows for {frames} visual rows in {visualPath}; dropped the last {diff} audio rows"
                : $"{audioPath}: {audio.Rows} audio rows for {frames} visual rows in {visualPath}; padded {-diff} missing audio rows with zeros (marked as no audio)");
            audio = audio.WithRows(frames);
        }
        // A modality without a folder: one all-zero, fully masked column.
        visual ??= FeatureMatrix.Zeros(frames, 1);
        audio ??= FeatureMatrix.Zeros(frames, 1);

        var timestamps = new double[frames];
        for (int i = 0; i < frames; i++) timestamps[i] = i / source.Fps;

        var features = new VideoFeatures
        {
            VideoId = videoId,
            Visual = visual,
            VisualMask = visual.NonZeroRows(),
            Audio = audio,
            AudioMask = audio.NonZeroRows(),
            Timestamps = timestamps,
            Meta = new FeatureMeta
            {
                Fps = source.Fps,
                VisualFeatures = source.VisualNpyDir is null ? "none" : $"npy:{FolderName(source.VisualNpyDir)}",
                AudioFeatures = source.AudioNpyDir is null ? "none" : $"npy:{FolderName(source.AudioNpyDir)}",
            },
        };
        features.Validate(visualPath ?? audioPath!);
        return features;
    }

    private static string FolderName(string dir) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)));

    private static FeatureMatrix ReadMatrix(string path)
    {
        var a = NpyFormat.Read(path);
        if (a.Rank != 2)
            throw new AffectFuseException(path, $"array has shape {a.ShapeText}; expected two dimensions [T, D]");
        if (a.Shape[1] < 1)
            throw new AffectFuseException(path, $"array has shape {a.ShapeText}: no feature columns");
        var matrix = FeatureMatrix.FromNpy(a)
            ?? throw new AffectFuseException(path, $"array has dtype {a.DTypeName}; expected float16, float32 or float64");
        matrix.CheckFinite(path, "feature");
        return matrix;
    }
}
