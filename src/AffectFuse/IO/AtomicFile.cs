namespace AffectFuse.IO;

/// <summary>Writes files under a temporary name and renames them into place, so a killed run never leaves a
/// half-written file that a later run would trust.</summary>
internal static class AtomicFile
{
    // Per thread, so that only the writes of the code that asked are reported (the training save's fault hook).
    [ThreadStatic] private static Action<string>? t_reached;

    private const string TempSuffix = ".tmp";

    // Host and process in the temporary name: on a shared file system (a cluster) only the writer's own machine can tell
    // whether the writer is still alive.
    private static readonly string Host = SafeHostName();

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; the file appears only when complete.
    /// A path that cannot be written is an <see cref="AffectFuseException"/> naming it.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        // Same folder as the target so the final rename is atomic on one file system; hidden, with a unique suffix.
        string tmp = Path.Combine(dir ?? ".", $".{Path.GetFileName(full)}.{Host}.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}");
        string name = Path.GetFileName(full);
        t_reached?.Invoke($"{name}: before write");
        try
        {
            if (Directory.Exists(full))
                throw new AffectFuseException(full, "is a folder; name a file to write");
            if (!string.IsNullOrEmpty(dir))
                Directory.CreateDirectory(dir);
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            t_reached?.Invoke($"{name}: before rename");
            File.Move(tmp, full, overwrite: true);
            t_reached?.Invoke($"{name}: after rename");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(tmp);
            throw new AffectFuseException(full, $"cannot write ({e.Message})", e);
        }
        catch
        {
            TryDelete(tmp);
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

    /// <summary>Deletes the temporary files that killed writers left in <paramref name="folder"/> (not in its subfolders):
    /// those of this machine whose process is gone, and any older than a day (a writer on another machine of a shared
    /// file system). Returns how many were removed. A live writer's file is never touched.</summary>
    public static int RemoveStale(string folder)
    {
        int removed = 0;
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(folder, "." + "*" + TempSuffix).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        foreach (string file in candidates)
            if (IsStale(file) && TryDelete(file))
                removed++;
        return removed;
    }

    private static bool IsStale(string file)
    {
        // .NAME.HOST.PID.GUID.tmp — the name itself may hold dots, so read the fields from the end.
        string[] parts = Path.GetFileName(file).Split('.');
        if (parts.Length < 5 || parts[^4] is not { Length: > 0 } host || !int.TryParse(parts[^3], out int pid))
            return false;
        if (host == Host)
            return !IsAlive(pid);
        return DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > TimeSpan.FromDays(1);
    }

    private static bool IsAlive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryDelete(string file)
    {
        try
        {
            File.Delete(file);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string SafeHostName()
    {
        string name = Environment.MachineName;
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-').ToArray();
        return chars.Length > 0 ? new string(chars) : "host";
    }

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
