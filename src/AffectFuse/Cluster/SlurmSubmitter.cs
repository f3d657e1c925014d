using System.Globalization;
using System.Text;
using AffectFuse.IO;

namespace AffectFuse.Cluster;

/// <summary>A job array to submit: the command each task runs (its shard and report path are appended) and the command of
/// the summary job that runs when every task has ended.</summary>
internal sealed record ArrayJobSpec
{
    /// <summary>Where the run keeps its files.</summary>
    public required ClusterLayout Layout { get; init; }

    /// <summary>The task's command line without <c>--shard</c> and <c>--json</c>.</summary>
    public required IReadOnlyList<string> TaskCommand { get; init; }

    /// <summary>The summary job's command line.</summary>
    public required IReadOnlyList<string> SummaryCommand { get; init; }

    /// <summary>The tasks with work left; the others are not submitted again.</summary>
    public required IReadOnlyList<int> PendingTasks { get; init; }

    /// <summary>What to ask Slurm for.</summary>
    public required SlurmOptions Slurm { get; init; }
}

/// <summary>What was submitted: the array job (null when no task had work left) and the summary job.</summary>
internal sealed record Submission(string? ArrayJobId, string? SummaryJobId, IReadOnlyList<int> Tasks, ClusterLayout Layout);

/// <summary>Writes the two sbatch scripts of a cluster run and submits them: a job array whose task i runs shard i of N,
/// then a summary job that depends on the whole array (<c>afterany</c>: it runs even when tasks fail, to report them).</summary>
internal static class SlurmSubmitter
{
    /// <summary>Writes the scripts and, unless <paramref name="dryRun"/>, submits them with <c>sbatch</c>.</summary>
    public static Submission Submit(ArrayJobSpec spec, bool dryRun = false)
    {
        spec.Slurm.Validate();
        var layout = spec.Layout;
        OutputLocation.Folder(Path.GetDirectoryName(layout.Log(0))!);
        OutputLocation.Folder(Path.GetDirectoryName(layout.Report(0))!);
        AtomicFile.WriteAllText(layout.TaskScript, TaskScript(spec));
        AtomicFile.WriteAllText(layout.SummaryScript, SummaryScript(spec));
        if (dryRun)
            return new Submission(null, null, spec.PendingTasks, layout);
        // A report left by an earlier attempt must not vouch for a task that is about to run again.
        foreach (int task in spec.PendingTasks)
            File.Delete(layout.Report(task));

        string? array = null;
        if (spec.PendingTasks.Count > 0)
            array = Sbatch([$"--array={ArrayList(spec.PendingTasks)}", layout.TaskScript]);
        var dependency = array is null ? Array.Empty<string>() : [$"--dependency=afterany:{array}", "--kill-on-invalid-dep=no"];
        string summary = Sbatch([.. dependency, layout.SummaryScript]);
        return new Submission(array, summary, spec.PendingTasks, layout);
    }

    /// <summary>Slurm's array syntax for <paramref name="tasks"/>: runs of consecutive indices as ranges (0-3,5,7-9).</summary>
    public static string ArrayList(IReadOnlyList<int> tasks)
    {
        var parts = new List<string>();
        var sorted = tasks.Distinct().Order().ToArray();
        for (int i = 0; i < sorted.Length;)
        {
            int j = i;
            while (j + 1 < sorted.Length && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(i == j ? $"{sorted[i]}" : $"{sorted[i]}-{sorted[j]}");
            i = j + 1;
        }
        return string.Join(",", parts);
    }

    private static string Sbatch(IReadOnlyList<string> args)
    {
        string output = ExternalTool.Output("sbatch", ["--parsable", .. args], args[^1], "to submit the job",
            install: "install Slurm's client tools (Debian: apt install slurm-client) on a machine of the cluster");
        // --parsable prints "jobid" or "jobid;cluster".
        string id = output.Trim().Split(';')[0];
        return id.Length > 0 && id.All(char.IsAsciiDigit) ? id : throw new AffectFuseException(args[^1], $"sbatch printed no job id: '{output.Trim()}'");
    }

    private static string TaskScript(ArrayJobSpec spec)
    {
        var layout = spec.Layout;
        var s = Header(spec.Slurm, $"{spec.Slurm.JobName}-{layout.Kind}", layout.LogPattern, spec.Slurm.CpusPerTask);
        s.AppendLine($"# Task i of the array runs shard i of {spec.Slurm.Tasks}; each task computes the same length-balanced shards.");
        s.AppendLine($"rm -f {Quote(layout.ReportPrefix)}\"$SLURM_ARRAY_TASK_ID\".json");
        s.Append("exec ").Append(string.Join(' ', spec.TaskCommand.Select(Quote)));
        s.Append($" --shard \"$SLURM_ARRAY_TASK_ID/{spec.Slurm.Tasks.ToString(CultureInfo.InvariantCulture)}\"");
        s.AppendLine($" --json {Quote(layout.ReportPrefix)}\"$SLURM_ARRAY_TASK_ID\".json");
        return s.ToString();
    }

    private static string SummaryScript(ArrayJobSpec spec)
    {
        var s = Header(spec.Slurm, $"{spec.Slurm.JobName}-{spec.Layout.Kind}-summary", spec.Layout.SummaryLog, 1);
        s.Append("exec ").AppendLine(string.Join(' ', spec.SummaryCommand.Select(Quote)));
        return s.ToString();
    }

    private static StringBuilder Header(SlurmOptions o, string name, string output, int cpus)
    {
        var s = new StringBuilder("#!/bin/bash\n# Written by affectfuse cluster slurm; submit again with the same command to run only what is left.\n");
        s.AppendLine($"#SBATCH --job-name={name}");
        s.AppendLine($"#SBATCH --output={output}");
        s.AppendLine($"#SBATCH --cpus-per-task={cpus}");
        if (o.Partition is { } p) s.AppendLine($"#SBATCH --partition={p}");
        if (o.Time is { } t) s.AppendLine($"#SBATCH --time={t}");
        if (o.Memory is { } m) s.AppendLine($"#SBATCH --mem={m}");
        foreach (string a in o.SbatchArguments) s.AppendLine($"#SBATCH {a}");
        s.AppendLine("set -euo pipefail");
        return s;
    }

    /// <summary>One shell word: single quotes, with a quote inside written as '\''.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";
}
