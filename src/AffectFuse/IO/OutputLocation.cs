namespace AffectFuse.IO;

/// <summary>Checks an output folder or file before a run starts, so that a path that cannot be written fails at once in
/// one line naming it, not after an hour of work and not as a stack trace.</summary>
internal static class OutputLocation
{
    /// <summary>Creates <paramref name="path"/> if needed, proves it can be written, and removes temporary files that killed
    /// runs left in it (<see cref="AtomicFile.RemoveStale"/>). Returns the full path.</summary>
    public static string Folder(string path)
    {
        string full = Path.GetFullPath(path);
        if (System.IO.File.Exists(full))
            throw new AffectFuseException(full, "is a file, not a folder; name a folder for the outputs");
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new AffectFuseException(full, $"cannot create the output folder ({e.Message})", e);
        }
        Probe(full);
        AtomicFile.RemoveStale(full);
        return full;
    }

    /// <summary>Checks, without creating anything, that <paramref name="path"/> could be made an output folder: it is not a
    /// file, and its nearest existing ancestor is a folder that accepts files. For runs that must leave nothing behind when
    /// a later check refuses them. Returns the full path.</summary>
    public static string FolderCanBeMade(string path)
    {
        string full = Path.GetFullPath(path);
        string? existing = full;
        while (existing is not null && !Directory.Exists(existing))
        {
            if (System.IO.File.Exists(existing))
                throw new AffectFuseException(full, existing == full ? "is a file, not a folder; name a folder for the outputs" : $"cannot be created: {existing} is a file");
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is not null)
            Probe(existing);
        return full;
    }

    /// <summary>Checks that <paramref name="path"/> can be written as a file: it is not a folder, and its folder exists or
    /// can be made and accepts files. Returns the full path; the file itself is not created.</summary>
    public static string File(string path)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new AffectFuseException(full, "is a folder; name a file to write");
        string? folder = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder))
        {
            if (System.IO.File.Exists(folder))
                throw new AffectFuseException(full, $"cannot be written: {folder} is a file, not a folder");
            Folder(folder);
        }
        return full;
    }

    // Permission bits do not tell (root, read-only mounts, ACLs): writing a file does.
    private static void Probe(string folder)
    {
        string probe = Path.Combine(folder, $".affectfuse-probe.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AffectFuseException(folder, $"output folder is not writable ({e.Message})", e);
        }
    }
}
