using System.IO.Compression;
using AffectFuse.IO;

namespace AffectFuse.Data;

/// <summary>Reads and writes numpy <c>.npz</c> archives: a zip of <c>&lt;name&gt;.npy</c> members, stored
/// (<c>numpy.savez</c>) or deflated (<c>numpy.savez_compressed</c>).</summary>
internal static class NpzArchive
{
    // numpy stamps members with the zip epoch; a fixed time also makes our archives byte-for-byte reproducible.
    private static readonly DateTimeOffset ZipEpoch = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Reads every <c>.npy</c> member (or those <paramref name="include"/> names), keyed by name without the
    /// <c>.npy</c> suffix (as <c>numpy.load</c> does). A missing, corrupt or unsupported file is an
    /// <see cref="AffectFuseException"/> naming it.</summary>
    public static IReadOnlyDictionary<string, NpyArray> Read(string path, Func<string, bool>? include = null)
    {
        IO.InputFile.RequireContent(path, "feature file");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
            var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                string name = entry.FullName[..^4];
                if (include is not null && !include(name))
                    continue;
                if (arrays.ContainsKey(name))
                    throw new AffectFuseException(path, $"array '{name}' appears twice in the archive");
                using var member = entry.Open();
                arrays[name] = NpyFormat.Read(member, path, name);
            }
            return arrays;
        }
        catch (FileNotFoundException) { throw new AffectFuseException(path, "file not found"); }
        catch (DirectoryNotFoundException) { throw new AffectFuseException(path, "file not found"); }
        catch (UnauthorizedAccessException e) { throw new AffectFuseException(path, $"cannot read: {e.Message}", e); }
        catch (InvalidDataException e) { throw new AffectFuseException(path, $"not a readable .npz (zip) archive: {e.Message}", e); }
        catch (NotSupportedException e) { throw new AffectFuseException(path, $"unsupported zip archive: {e.Message}", e); }
    }

    /// <summary>Writes the arrays atomically as <c>&lt;name&gt;.npy</c> members, deflated when <paramref name="compressed"/>
    /// (like <c>numpy.savez_compressed</c>), otherwise stored (like <c>numpy.savez</c>).</summary>
    public static void Write(string path, IEnumerable<(string Name, NpyArray Array)> arrays, bool compressed = false)
    {
        // Fastest: feature rows are mostly incompressible noise; what deflate wins is the zero rows, at any level.
        var level = compressed ? CompressionLevel.Fastest : CompressionLevel.NoCompression;
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, array) in arrays)
            {
                if (!names.Add(name)) throw new ArgumentException($"array '{name}' given twice", nameof(arrays));
                var entry = zip.CreateEntry(name + ".npy", level);
                entry.LastWriteTime = ZipEpoch;
                using var member = entry.Open();
                NpyFormat.Write(member, array);
            }
        });
    }
}
