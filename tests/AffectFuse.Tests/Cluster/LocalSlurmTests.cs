using Xunit;
using Xunit.Abstractions;

namespace AffectFuse.Tests.Cluster;

/// <summary>The local cluster runs real jobs: an array whose tasks share the node's CPUs, and a job that waits for the
/// array; and stopping it leaves no daemon behind.</summary>
public class LocalSlurmTests(ITestOutputHelper output)
{
    [Fact]
    public void RunsAnArrayAndADependentJobThenStopsEveryDaemon()
    {
        using var work = new TempFolder();
        var cluster = new LocalSlurm();
        IReadOnlyList<int> daemons;
        try
        {
            if (!cluster.RequireOrSkip(output))
                return;
            daemons = cluster.DaemonPids;
            Assert.Equal(3, daemons.Count);

            // Each task sleeps long enough that two running at once on the 2 CPUs show as overlapping intervals.
            string array = Submit(cluster, "--chdir", work.Path, "-o", "/dev/null", "--array=0-2", "--cpus-per-task=1",
                "--wrap", "date +%s.%N > start_$SLURM_ARRAY_TASK_ID.txt; echo $SLURM_ARRAY_TASK_ID > out_$SLURM_ARRAY_TASK_ID.txt; sleep 2; date +%s.%N > end_$SLURM_ARRAY_TASK_ID.txt");
            string after = Submit(cluster, "--chdir", work.Path, "-o", "/dev/null", $"--dependency=afterany:{array}",
                "--wrap", "cat out_0.txt out_1.txt out_2.txt > all.txt");

            var jobs = cluster.WaitForJobs([array, after], TimeSpan.FromSeconds(45));
            output.WriteLine(string.Join("\n", jobs));
            Assert.Equal(4, jobs.Count);
            Assert.All(jobs, j => Assert.Equal("COMPLETED", j.State));
            Assert.Equal(["0", "1", "2"], File.ReadAllLines(work["all.txt"]));

            double Time(string file) => double.Parse(File.ReadAllText(work[file]).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            bool Overlap(int a, int b) => Time($"start_{a}.txt") < Time($"end_{b}.txt") && Time($"start_{b}.txt") < Time($"end_{a}.txt");
            Assert.True(Overlap(0, 1) || Overlap(0, 2) || Overlap(1, 2), "no two array tasks ran at the same time on the 2 CPUs");
            // The dependent job starts only once every task has ended.
            double last = new[] { 0, 1, 2 }.Max(t => Time($"end_{t}.txt"));
            Assert.True(File.GetLastWriteTimeUtc(work["all.txt"]) >= DateTime.UnixEpoch.AddSeconds(last).AddSeconds(-1));
        }
        finally
        {
            cluster.Dispose();
        }

        Assert.False(Directory.Exists(cluster.StateDirectory));
        Assert.All(daemons, pid => Assert.False(Alive(pid), $"daemon {pid} still runs after Dispose"));
    }

    private static string Submit(LocalSlurm cluster, params string[] args)
    {
        var (code, stdout, stderr) = cluster.Run("sbatch", ["--parsable", .. args]);
        Assert.True(code == 0, $"sbatch failed ({code}): {stderr}");
        return stdout.Trim().Split(';')[0];
    }

    // A zombie (ended, not yet reaped by an init that reaps lazily) counts as gone: it runs nothing.
    private static bool Alive(int pid)
    {
        string stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
            return false;
        try
        {
            string text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
