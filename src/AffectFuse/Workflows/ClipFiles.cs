using AffectFuse.Data;
using AffectFuse.Evaluation;
using AffectFuse.Features;

namespace AffectFuse.Workflows;

/// <summary>A labelled clip's file, and the person in it when the clip is one person of a video whose faces were all
/// followed (<c>VIDEO_left</c> of <c>VIDEO.npz</c>, or of <c>VIDEO.mp4</c> extracted with <c>--face all</c>).</summary>
internal readonly record struct ClipFile(string Path, string? Person);

/// <summary>The files of a clip folder that a clip label file names: <c>.npz</c> feature files (the folder's own, not
/// its subfolders', as <c>extract</c> writes them) or media files (searched recursively, as <c>extract</c> finds them).</summary>
/// <param name="Media">True when the files are media, to be extracted first.</param>
/// <param name="Files">The file of each label, in label order.</param>
internal sealed record ClipFiles(bool Media, IReadOnlyList<ClipFile> Files)
{
    /// <summary>Finds each labelled clip's file in <paramref name="folder"/>. A clip matches a file by its path relative
    /// to the folder or its name, with or without the extension; a clip named as one person of a video
    /// (<c>_left</c>, <c>_right</c>, <c>_personN</c>, as <see cref="AffWild2Layout.PersonIds"/> names them) matches the
    /// video's file when it has none of its own. A clip with no file, a name two files share, two clips naming one file
    /// (or one person), or a folder holding both kinds is an <see cref="AffectFuseException"/>; files no label names are
    /// left out (<paramref name="warn"/> hears how many).</summary>
    public static ClipFiles Find(string folder, string labelsPath, IReadOnlyList<ClipLabel> labels, Action<string>? warn)
    {
        if (!Directory.Exists(folder))
            throw new AffectFuseException(folder, "clip folder not found");
        var features = Directory.EnumerateFiles(folder, "*" + FeatureFile.Extension)
            .Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)
            .Select(f => new VideoInput(Path.GetFullPath(f), Path.GetFileName(f))).ToList();
        var media = VideoInputs.Discover([folder]);
        if (features.Count > 0 && media.Count > 0)
            throw new AffectFuseException(folder, $"holds both .npz feature files and media files; give a folder of one kind (extracted features go to {OptionName.Of("ClipEvaluationRequest.FeaturesCache")})");
        if (features.Count == 0 && media.Count == 0)
            throw new AffectFuseException(folder, $"holds no .npz feature files and no media files ({string.Join(" ", VideoInputs.Extensions.Order(StringComparer.Ordinal))})");
        bool isMedia = media.Count > 0;
        var index = new ClipIndex(isMedia ? media : features);
        var files = new List<ClipFile>(labels.Count);
        var owners = new Dictionary<ClipFile, ClipLabel>();
        foreach (var label in labels)
        {
            var file = Find(index, label, labelsPath)
                ?? throw new AffectFuseException(labelsPath, $"line {label.Line}: clip '{label.Clip}' has no {(isMedia ? "media" : "feature")} file in {folder}");
            if (!owners.TryAdd(file, label))
                throw new AffectFuseException(labelsPath, $"line {label.Line}: clip '{label.Clip}' is the same file as '{owners[file].Clip}' (line {owners[file].Line}): {file.Path}");
            files.Add(file);
        }
        int unused = index.Count - files.Select(f => f.Path).Distinct().Count();
        if (unused > 0)
            warn?.Invoke($"{folder}: {unused} of its {index.Count} {(isMedia ? "media" : "feature")} files are not in {labelsPath} and are left out");
        return new ClipFiles(isMedia, files);
    }

    // The clip's own file, else the file of the video it is one person of.
    private static ClipFile? Find(ClipIndex index, ClipLabel label, string labelsPath)
    {
        if (index.Find(label.Clip, labelsPath, label.Line) is { } own)
            return new ClipFile(own, null);
        string name = label.Clip.Replace('\\', '/');
        int slash = name.LastIndexOf('/');
        string id = System.IO.Path.GetFileNameWithoutExtension(name[(slash + 1)..]);
        foreach (string video in AffWild2Layout.FeatureIdsFor(id).Skip(1))
            if (index.Find(name[..(slash + 1)] + video, labelsPath, label.Line) is { } path)
                return new ClipFile(path, id);
        return null;
    }

    /// <summary>The files by relative path and by name, each with and without its extension.</summary>
    private sealed class ClipIndex
    {
        private readonly Dictionary<string, string> _byPath = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _byName = new(StringComparer.Ordinal);

        public ClipIndex(IReadOnlyList<VideoInput> files)
        {
            foreach (var f in files)
            {
                _byPath[f.Key] = f.Path;
                _byPath.TryAdd(WithoutExtension(f.Key), f.Path);
                foreach (string name in new[] { Path.GetFileName(f.Path), Path.GetFileNameWithoutExtension(f.Path) }.Distinct())
                {
                    if (!_byName.TryGetValue(name, out var paths))
                        _byName[name] = paths = [];
                    paths.Add(f.Path);
                }
            }
            Count = files.Count;
        }

        public int Count { get; }

        // The relative path first; a name only when one file has it, so a clip never silently picks one of two.
        public string? Find(string clip, string labelsPath, int line)
        {
            string key = clip.Replace('\\', '/');
            while (key.StartsWith("./", StringComparison.Ordinal))
                key = key[2..];
            if (_byPath.TryGetValue(key, out var path) || _byPath.TryGetValue(WithoutExtension(key), out path))
                return path;
            string name = key[(key.LastIndexOf('/') + 1)..];
            if (!_byName.TryGetValue(name, out var paths) && !_byName.TryGetValue(WithoutExtension(name), out paths))
                return null;
            if (paths.Count > 1)
                throw new AffectFuseException(labelsPath, $"line {line}: clip '{clip}' could be {paths[0]} or {paths[1]}; name it by its path relative to the folder");
            return paths[0];
        }

        private static string WithoutExtension(string key)
        {
            int dot = key.LastIndexOf('.');
            return dot > key.LastIndexOf('/') + 1 ? key[..dot] : key;
        }
    }
}
