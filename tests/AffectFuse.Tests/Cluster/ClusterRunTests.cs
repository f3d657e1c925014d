using System.Diagnostics;
using AffectFuse.Cli.Commands;
using AffectFuse.Cluster;
using AffectFuse.Tests.Decoding;
using Xunit;

namespace AffectFuse.Tests.Cluster;

/// <summary>Videos of different lengths and their single-machine extraction, made once for the cluster tests.</summary>
public sealed class ClusterVideos : IDisposable
{
    private readonly TempFolder _dir = new();

    public ClusterVideos()
    {
        Input = _dir.Folder("videos");
        foreach (var (name, seconds) in new[] { ("long", 3.0), ("mid", 2.0), ("short", 1.0), ("tiny", 0.6) })
            TestMedia.Ffmpeg($"-f lavfi -i testsrc=size=160x120:rate=25 -f lavfi -i sine=frequency=300:sample_rate=16000 -t {seconds} " +
                $"-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac \"{Path.Combine(Input, name + ".mp4")}\"");
        Single = _dir.File("single");
        var (code, error) = CliProcess.Run(null, "extract", Input, "--out", Single);
        if (code != 0) throw new InvalidOperationException("single-machine extract failed: " + error);
    }

    /// <summary>The folder of videos.</summary>
    public string Input { get; }

    /// <summary>Features of one `extract` over <see cref="Input"/>.</summary>
    public string Single { get; }

    /// <summary>A fresh folder.</summary>
    public string NewFolder(string name) => _dir.Folder(name + "-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => _dir.Dispose();
}

/// <summary>The scripts `cluster slurm extract` writes, run as Slurm would run them (one process per array task, then the
/// summary), on a machine without Slurm: the merged features equal a single extract's bit for bit, a re-submission runs
/// only what is left, and a failed task is named with the command that runs it alone.</summary>
public class ClusterRunTests(ClusterVideos v) : IClassFixture<ClusterVideos>
{
    [Fact]
    public void ArrayTasksRunAsSlurmWouldMergeToTheSingleMachineFeaturesBitForBit()
    {
        string outDir = v.NewFolder("array");
        var (code, error) = CliProcess.Run(null, "cluster", "slurm", "extract", v.Input, "--out", outDir, "--tasks", "3", "--dry-run");
        Assert.True(code == 0, error);
        var layout = new ClusterLayout(outDir, "extract");
        for (int task = 0; task < 3; task++)
            Assert.Equal(0, RunScript(layout.TaskScript, task, layout.Log(task)));
        Assert.Equal(0, RunScript(layout.SummaryScript, null, layout.SummaryLog));

        foreach (string single in Directory.GetFiles(v.Single, "*.npz"))
            Assert.Equal(File.ReadAllBytes(single), File.ReadAllBytes(Path.Combine(outDir, Path.GetFileName(single))));
        var summary = System.Text.Json.JsonSerializer.Deserialize<ClusterSummaryResult>(File.ReadAllText(layout.SummaryJson), AffectFuse.IO.OptionsJson.Settings)!;
        Assert.Equal(4, summary.Done);
        Assert.Empty(summary.FailedTasks);
        // Balanced by length: the 3-s video alone on one task, not two videos on each of two.
        Assert.Contains(summary.PerTask, t => t.Videos == 1 && t.Frames == 75);

        // Everything done: a re-submission would run nothing.
        (code, error) = CliProcess.Run(null, "cluster", "slurm", "extract", v.Input, "--out", outDir, "--tasks", "3", "--dry-run");
        Assert.True(code == 0, error);
        Assert.Contains("would submit tasks none of 3", CliProcess.LastOutput);
    }

    [Fact]
    public void ATaskThatDiedIsNamedWithItsErrorAndTheCommandThatRunsItAloneAndIsTheOnlyOneSubmittedAgain()
    {
        string outDir = v.NewFolder("died");
        Assert.Equal(0, CliProcess.Run(null, "cluster", "slurm", "extract", v.Input, "--out", outDir, "--tasks", "2", "--dry-run").Code);
        var layout = new ClusterLayout(outDir, "extract");
        Assert.Equal(0, RunScript(layout.TaskScript, 0, layout.Log(0)));
        Directory.CreateDirectory(Path.GetDirectoryName(layout.Log(1))!);
        File.WriteAllText(layout.Log(1), "slurmstepd: error: *** JOB 12 ON node CANCELLED AT 2026-12-01 DUE TO TIME LIMIT ***\n");

        var (code, error) = CliProcess.Run(null, "cluster", "summary", outDir, "--kind", "extract", "--tasks", "2");
        Assert.Equal(ClusterCommand.SomeFailed, code);
        Assert.Contains("CANCELLED", CliProcess.LastOutput);
        Assert.Contains($"task 1 failed: run it again alone with  sbatch --array=1 '{layout.TaskScript}'", error);

        (code, error) = CliProcess.Run(null, "cluster", "slurm", "extract", v.Input, "--out", outDir, "--tasks", "2", "--dry-run");
        Assert.True(code == 0, error);
        Assert.Contains("would submit tasks 1 of 2", CliProcess.LastOutput);
    }

    [Fact]
    public void WithoutSlurmTheSubmissionIsOneLineSayingWhatToInstall()
    {
        string outDir = v.NewFolder("nosbatch");
        var (code, error) = CliProcess.Run(new Dictionary<string, string> { ["PATH"] = "/nonexistent" }, "cluster", "slurm", "extract", v.Input, "--out", outDir, "--tasks", "2");
        Assert.Equal(2, code);
        Assert.Matches(@"^error: .*sbatch is not installed .*slurm-client", error.Trim());
    }

    // What slurmd does for a task: runs the batch script with the array index in the environment, output to the log.
    private static int RunScript(string script, int? task, string log)
    {
        var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        if (task is { } t) info.Environment["SLURM_ARRAY_TASK_ID"] = t.ToString();
        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        File.WriteAllText(log, output + err.Result);
        return p.ExitCode;
    }
}

/// <summary><c>infer --shard i/N</c> over a feature folder: the shards' CSVs together are the whole folder's, bit for bit.</summary>
public class InferShardTests(Hostile.HostileFiles f) : IClassFixture<Hostile.HostileFiles>
{
    [Fact]
    public void ShardsOfAFeatureFolderPredictTogetherWhatOneInferPredicts()
    {
        string whole = f.PathOf("infer-whole-" + Guid.NewGuid().ToString("N")[..8]), parts = f.PathOf("infer-parts-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(0, CommandLine.Run(InferCommand.Create(), "--model", f.Checkpoint, "--features", f.Features, "--out", whole).Code);
        var reports = new List<AffectFuse.Workflows.FolderInferenceResult>();
        for (int i = 0; i < 3; i++)
        {
            string json = Path.Combine(parts, $"report-{i}.json");
            var (code, error) = CommandLine.Run(InferCommand.Create(), "--model", f.Checkpoint, "--features", f.Features, "--out", parts, "--shard", $"{i}/3", "--json", json);
            Assert.True(code == 0, error);
            reports.Add(System.Text.Json.JsonSerializer.Deserialize<AffectFuse.Workflows.FolderInferenceResult>(File.ReadAllText(json), AffectFuse.IO.OptionsJson.Settings)!);
        }
        var csvs = Directory.GetFiles(whole, "*.csv").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(csvs, Directory.GetFiles(parts, "*.csv").Select(Path.GetFileName).Order().ToList());
        foreach (string name in csvs!)
            Assert.Equal(File.ReadAllBytes(Path.Combine(whole, name!)), File.ReadAllBytes(Path.Combine(parts, name!)));
        Assert.Equal(csvs.Count, reports.Sum(r => r.VideoIds.Count));
        var (c, e) = CommandLine.Run(InferCommand.Create(), "--model", f.Checkpoint, "--features", f.Features, "--out", parts, "--shard", "0/2", "--abaw-csv", f.PathOf("sub.csv"));
        Assert.Equal(2, c);
        Assert.Contains("--abaw-csv: is one file for all videos", e);
    }
}
