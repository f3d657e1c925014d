using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace AffectFuse.Tests.Cluster;

/// <summary>One finished (or still queued) job as <c>scontrol show job</c> reports it: the id as squeue writes it
/// (<c>12</c>, or <c>12_3</c> for task 3 of array job 12), its state (<c>COMPLETED</c>, <c>FAILED</c>, ...) and its
/// exit code (<c>0:0</c>: status, then the signal that ended it).</summary>
public sealed record LocalSlurmJob(string Id, string State, string ExitCode);

/// <summary>A real single-node Slurm cluster on this machine for the length of a test (or a test class, as an xunit
/// class fixture), started by <c>scripts/slurm-local.sh</c> in a fresh temp state folder and stopped on dispose.
/// Starting it may install Debian's slurm-wlm and munge when run as root. Where it cannot start,
/// <see cref="Available"/> is false and <see cref="SkipReason"/> says why; tests call <see cref="RequireOrSkip"/>
/// first.</summary>
/// <remarks>xunit 2.9 has no runtime skip (<c>Assert.Skip</c> is xunit 3, <c>SkippableFact</c> a package that is not
/// here), so a test without a cluster returns early with the reason in its output and counts as passed; set
/// <c>AFFECTFUSE_REQUIRE_SLURM=1</c> to make that a failure instead (CI, where setup installs the packages).</remarks>
public sealed class LocalSlurm : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(1);

    // apt-get may run inside the script (a fresh machine without the packages), so the start gets far longer than a
    // client command; the script itself bounds the wait for the node to 60 s.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);

    // States after which a job no longer changes (squeue's long names).
    private static readonly HashSet<string> Finished =
        ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "REVOKED", "SPECIAL_EXIT"];

    private readonly string? _script;
    private bool _disposed;

    /// <summary>Whether the cluster runs: its node is idle and takes jobs.</summary>
    public bool Available { get; }

    /// <summary>Why the cluster is not available (the script's last error line, e.g. "not root and slurm-wlm/munge not
    /// installed ..." or "slurmctld did not start: ..."); null when it is.</summary>
    public string? SkipReason { get; }

    /// <summary>The cluster's state folder (conf, munge key and socket, spool, logs, pid files); deleted on dispose.</summary>
    public string StateDirectory { get; }

    /// <summary>What a client needs to reach this cluster (<c>SLURM_CONF</c>), as the script wrote it to
    /// <c>STATE_DIR/env</c>; empty when not <see cref="Available"/>.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>();

    /// <summary>The pids of munged, slurmctld and slurmd as the script recorded them at start, so a test can check they
    /// are gone after <see cref="Dispose"/>.</summary>
    public IReadOnlyList<int> DaemonPids { get; } = [];

    /// <summary>Everything the start script printed, for a test's output when something goes wrong.</summary>
    public string StartLog { get; }

    /// <summary>Starts the cluster; never throws for a cluster that cannot start (see <see cref="SkipReason"/>).</summary>
    public LocalSlurm()
    {
        StateDirectory = Directory.CreateTempSubdirectory("affectfuse-slurm-").FullName;
        StartLog = "";
        if (!OperatingSystem.IsLinux())
        {
            SkipReason = "Slurm runs on Linux only";
            return;
        }
        string? repo = RepositoryRoot();
        if (repo is null)
        {
            SkipReason = "repository root (AffectFuse.slnx) not found above " + AppContext.BaseDirectory;
            return;
        }
        _script = Path.Combine(repo, "scripts", "slurm-local.sh");
        var (code, output, error) = Execute("bash", [_script, "start", StateDirectory], null, StartTimeout);
        StartLog = output + error;
        if (code != 0)
        {
            string last = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {code}";
            SkipReason = last.StartsWith("slurm-local: ", StringComparison.Ordinal) ? last["slurm-local: ".Length..] : last;
            return;
        }
        Environment = ReadEnvironment(Path.Combine(StateDirectory, "env"));
        DaemonPids = new[] { "munge/munged.pid", "run/slurmctld.pid", "run/slurmd.pid" }
            .Select(f => Path.Combine(StateDirectory, f))
            .Where(File.Exists)
            .Select(f => int.Parse(File.ReadAllText(f).Trim()))
            .ToList();
        Available = true;
    }

    /// <summary>True when the cluster runs. Otherwise writes the reason to <paramref name="output"/> and returns false,
    /// so the test returns early (<c>if (!cluster.RequireOrSkip(output)) return;</c>); with
    /// <c>AFFECTFUSE_REQUIRE_SLURM=1</c> it fails the test instead.</summary>
    public bool RequireOrSkip(ITestOutputHelper? output = null)
    {
        if (Available)
            return true;
        if (System.Environment.GetEnvironmentVariable("AFFECTFUSE_REQUIRE_SLURM") == "1")
            Assert.Fail($"no local Slurm cluster (AFFECTFUSE_REQUIRE_SLURM=1): {SkipReason}\n{StartLog}");
        output?.WriteLine($"skipped: no local Slurm cluster: {SkipReason}");
        return false;
    }

    /// <summary>Runs a client command (sbatch, squeue, scontrol, scancel, sinfo) against this cluster: its exit code,
    /// stdout and stderr. Throws <see cref="TimeoutException"/> past a minute.</summary>
    public (int ExitCode, string Output, string Error) Run(string program, params string[] args) =>
        Execute(program, args, Environment, CommandTimeout);

    /// <summary>Waits until none of <paramref name="jobIds"/> (sbatch's ids; an array job's id covers its tasks) is
    /// pending, running or completing, polling squeue; then their final states from <c>scontrol show job</c>, one
    /// entry per job or array task. Throws <see cref="TimeoutException"/> with the queue when
    /// <paramref name="timeout"/> passes first.</summary>
    public IReadOnlyList<LocalSlurmJob> WaitForJobs(IEnumerable<string> jobIds, TimeSpan timeout)
    {
        // sbatch --parsable writes "id" or "id;cluster".
        var ids = jobIds.Select(j => j.Split(';')[0].Trim()).Where(j => j.Length > 0).Distinct().ToList();
        if (ids.Count == 0)
            return [];
        string list = string.Join(',', ids);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            // --states=all: finished jobs stay listed for MinJobAge, so a job is told finished rather than forgotten;
            // -r gives every array task a line of its own.
            var (code, output, error) = Run("squeue", "-h", "-r", "--states=all", "-j", list, "-o", "%i %T");
            if (code != 0)
                throw new InvalidOperationException($"squeue -j {list} failed ({code}): {error.Trim()}");
            var open = Lines(output).Where(l => !Finished.Contains(l.Split(' ').Last())).ToList();
            if (open.Count == 0)
                break;
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"jobs {list} not finished after {timeout.TotalSeconds:0} s:\n{string.Join('\n', open)}");
            Thread.Sleep(500);
        }
        return ids.SelectMany(ShowJob).ToList();
    }

    // One line per job (-o): "JobId=5 ArrayJobId=2 ArrayTaskId=1 ... JobState=COMPLETED ... ExitCode=0:0 ...".
    private IEnumerable<LocalSlurmJob> ShowJob(string id)
    {
        var (code, output, error) = Run("scontrol", "-o", "show", "job", id);
        if (code != 0)
            throw new InvalidOperationException($"scontrol show job {id} failed ({code}): {error.Trim()}");
        foreach (string line in Lines(output))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(f => f.Split('=', 2))
                .Where(kv => kv.Length == 2)
                .GroupBy(kv => kv[0])
                .ToDictionary(g => g.Key, g => g.First()[1]);
            string name = fields.TryGetValue("ArrayTaskId", out string? task) && fields.TryGetValue("ArrayJobId", out string? array)
                ? $"{array}_{task}"
                : fields.GetValueOrDefault("JobId", id);
            yield return new LocalSlurmJob(name, fields.GetValueOrDefault("JobState", "UNKNOWN"), fields.GetValueOrDefault("ExitCode", ""));
        }
    }

    /// <summary>Stops every daemon (and job) of the cluster, waits for them to end, and deletes the state folder.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        // Stopped even when the start failed halfway: the script stops what it started, and nothing else.
        if (_script is not null)
        {
            var (code, _, error) = Execute("bash", [_script, "stop", StateDirectory], null, TimeSpan.FromMinutes(2));
            if (code != 0)
                throw new InvalidOperationException($"slurm-local.sh stop failed ({code}): {error.Trim()}");
        }
        try { Directory.Delete(StateDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static (int, string, string) Execute(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
            info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} ran over {timeout.TotalSeconds:0} s");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    // Lines "export NAME='value'" as the script writes them.
    private static Dictionary<string, string> ReadEnvironment(string file)
    {
        var env = new Dictionary<string, string>();
        foreach (string line in Lines(File.ReadAllText(file)))
        {
            string assignment = line.StartsWith("export ", StringComparison.Ordinal) ? line["export ".Length..] : line;
            int eq = assignment.IndexOf('=');
            if (eq <= 0)
                continue;
            env[assignment[..eq]] = assignment[(eq + 1)..].Trim('\'');
        }
        return env;
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AffectFuse.slnx")))
                return dir.FullName;
        return null;
    }
}
