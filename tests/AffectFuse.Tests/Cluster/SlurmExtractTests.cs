using System.Text.RegularExpressions;
using AffectFuse.Cluster;
using Xunit;
using Xunit.Abstractions;

namespace AffectFuse.Tests.Cluster;

/// <summary>`cluster slurm extract` on a real single-node Slurm (two CPU slots): a 3-task array over generated videos and
/// its summary job; the merged features equal a single `extract` run's bit for bit; every daemon is stopped after.</summary>
public class SlurmExtractTests(ClusterVideos v, ITestOutputHelper output) : IClassFixture<ClusterVideos>
{
    [Fact]
    public void AThreeTaskArrayOnSlurmMergesToTheSingleMachineFeaturesBitForBit()
    {
        using var cluster = new LocalSlurm();
        if (!cluster.RequireOrSkip(output))
            return;
        string outDir = v.NewFolder("slurm");
        var (code, error) = CliProcess.Run(cluster.Environment, "cluster", "slurm", "extract", v.Input, "--out", outDir, "--tasks", "3", "--cpus-per-task", "1");
        output.WriteLine(CliProcess.LastOutput + error);
        Assert.True(code == 0, error);
        string array = Regex.Match(CliProcess.LastOutput, @"array job (\d+)").Groups[1].Value;
        string summary = Regex.Match(CliProcess.LastOutput, @"summary job (\d+)").Groups[1].Value;

        var jobs = cluster.WaitForJobs([array, summary], TimeSpan.FromMinutes(4));
        output.WriteLine(string.Join("\n", jobs));
        Assert.Equal(4, jobs.Count);
        Assert.All(jobs, j => Assert.Equal("COMPLETED", j.State));

        foreach (string single in Directory.GetFiles(v.Single, "*.npz"))
            Assert.Equal(File.ReadAllBytes(single), File.ReadAllBytes(Path.Combine(outDir, Path.GetFileName(single))));
        var layout = new ClusterLayout(outDir, "extract");
        var result = System.Text.Json.JsonSerializer.Deserialize<ClusterSummaryResult>(File.ReadAllText(layout.SummaryJson), AffectFuse.IO.OptionsJson.Settings)!;
        Assert.Equal(4, result.Done);
        Assert.Empty(result.FailedTasks);
        Assert.Contains("4 videos done", File.ReadAllText(layout.SummaryLog));
    }
}
