using AffectFuse.IO;

namespace AffectFuse.Features;

/// <summary>One video to extract: its full path and the key used to assign it to a shard.</summary>
/// <param name="Path">Full path of the file.</param>
/// <param name="Key">Path relative to the folder it was found in (<c>/</c>-separated), or the file name for a file named
/// directly: the same on every machine whatever else is in the folder.</param>
public sealed record VideoInput(string Path, string Key);

/// <summary>Finds the videos named on a command line (files, or folders scanned recursively for video and audio
/// extensions) and splits them into shards. An audio file is a video without a face to the extraction.</summary>
internal static class VideoInputs
{
    /// <summary>Extensions recognised as video when scanning folders.</summary>
    public static readonly IReadOnlySet<string> VideoExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".mp4", ".m4v", ".avi", ".mkv", ".mov", ".webm", ".mpg", ".mpeg", ".wmv", ".flv", ".ts", ".mts", ".m2ts", ".3gp", ".ogv",
    };

    /// <summary>Extensions recognised as audio when scanning folders.</summary>
    public static readonly IReadOnlySet<string> AudioExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".wav", ".flac", ".mp3", ".m4a", ".ogg", ".opus",
    };

    /// <summary>Every extension taken when scanning folders (a file named directly is taken whatever its extension). The
    /// extension only picks files out of a folder: how a file is read, its streams decide.</summary>
    public static readonly IReadOnlySet<string> Extensions = VideoExtensions.Union(AudioExtensions).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The videos, in a stable order: each argument in turn, a folder's videos sorted by relative path (ordinal).
    /// The same file reached twice (named twice, or through a link) is taken once; a folder reached again through a
    /// symbolic link (a loop, or two links to one folder) is searched once. A path that does not exist is an
    /// <see cref="AffectFuseException"/>.</summary>
    public static IReadOnlyList<VideoInput> Discover(IEnumerable<string> paths)
    {
        var found = new List<VideoInput>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string arg in paths)
        {
            if (Directory.Exists(arg))
            {
                string root = System.IO.Path.GetFullPath(arg);
                var files = FolderVideos(root)
                    .Select(f => new VideoInput(f, System.IO.Path.GetRelativePath(root, f).Replace('\\', '/')))
                    .OrderBy(v => v.Key, StringComparer.Ordinal);
                foreach (var v in files)
                    if (seen.Add(RealPath.Of(v.Path)))
                        found.Add(v);
            }
            else if (File.Exists(arg))
            {
                string full = System.IO.Path.GetFullPath(arg);
                if (seen.Add(RealPath.Of(full)))
                    found.Add(new VideoInput(full, System.IO.Path.GetFileName(full)));
            }
            else
            {
                throw new AffectFuseException(arg, "no such file or folder");
            }
        }
        return found;
    }

    // Walks by hand rather than with RecurseSubdirectories, which follows a link back to a parent folder until the paths
    // grow too long: each folder is entered once, by its real path.
    private static IEnumerable<string> FolderVideos(string root)
    {
        var entered = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(root);
        var options = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0 };
        while (pending.Count > 0)
        {
            string folder = pending.Pop();
            if (!entered.Add(RealPath.Of(folder)))
                continue;
            foreach (string file in Directory.EnumerateFiles(folder, "*", options))
                if (Extensions.Contains(System.IO.Path.GetExtension(file)) && !System.IO.Path.GetFileName(file).StartsWith('.'))
                    yield return file;
            foreach (string sub in Directory.EnumerateDirectories(folder, "*", options))
                pending.Push(sub);
        }
    }

    /// <summary>The videos of shard <paramref name="index"/> of <paramref name="count"/>, in their original order, balanced by
    /// <paramref name="frames"/> (a video's length; see <see cref="ShardPlan"/>) and keyed by <see cref="VideoInput.Key"/>,
    /// so every machine that lists the same inputs agrees.</summary>
    public static IReadOnlyList<VideoInput> Shard(IReadOnlyList<VideoInput> videos, int index, int count, Func<VideoInput, long> frames)
        => count == 1 ? videos : ShardPlan.Select(videos, index, count, v => v.Key, frames);
}
