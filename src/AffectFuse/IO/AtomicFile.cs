namespace AffectFuse.IO;

/// <summary>Writes files under a temporary name and renames them into place, so a killed run never leaves a
/// half-written file that a later run would trust.</summary>
public static partial class AtomicFile
{
    // Per thread, so that only the writes of the code that asked are reported (the training save's fault hook).
    [ThreadStatic] private static Action<string>? t_reached;

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; the file appears only when complete.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir))
            Directory.CreateDirectory(dir);
        string name = Path.GetFileName(full);
        // Same folder as the target so the final rename is atomic on one file system; hidden, with a unique suffix.
        string tmp = Path.Combine(dir ?? ".", $".{name}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        t_reached?.Invoke($"{name}: before write");
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            t_reached?.Invoke($"{name}: before rename");
            File.Move(tmp, full, overwrite: true);
            t_reached?.Invoke($"{name}: after rename");
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>Writes text (UTF-8, no BOM) atomically.</summary>
    public static void WriteAllText(string path, string text)
        => Write(path, s =>
        {
            using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true);
            w.Write(text);
        });

    /// <summary>Writes bytes atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>Removes the temporary files that writers killed before their rename left in <paramref name="folder"/>
    /// (only names of the form this class gives them). Call it only where no other process is writing.</summary>
    public static void DeleteLeftovers(string folder)
    {
        if (!Directory.Exists(folder))
            return;
        foreach (string tmp in Directory.EnumerateFiles(folder, ".*.tmp"))
            if (TempName().IsMatch(Path.GetFileName(tmp)))
                try { File.Delete(tmp); } catch (IOException) { }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\..+\.[0-9]+\.[0-9a-f]{32}\.tmp$")]
    private static partial System.Text.RegularExpressions.Regex TempName();

    /// <summary>Until disposed, tells <paramref name="reached"/> of every point of every write on this thread (before it,
    /// before its rename, after its rename), e.g. "last.ckpt: before rename": the hook training's save-fault test uses.</summary>
    internal static IDisposable Observe(Action<string> reached)
    {
        var previous = t_reached;
        t_reached = reached;
        return new Restore(previous);
    }

    private sealed class Restore(Action<string>? previous) : IDisposable
    {
        public void Dispose() => t_reached = previous;
    }
}
