namespace AffectFuse.Cluster;

/// <summary>Where a cluster run keeps its scripts, task reports and logs: <c>OUT/.affectfuse-cluster/</c>, beside the
/// outputs on the shared file system, so a re-submission, the summary job and a person all find them.</summary>
internal sealed record ClusterLayout(string OutDir, string Kind)
{
    /// <summary>The folder of the run's own files.</summary>
    public string Folder => Path.Combine(OutDir, ".affectfuse-cluster");

    /// <summary>The array job's script.</summary>
    public string TaskScript => Path.Combine(Folder, $"{Kind}.sbatch");

    /// <summary>The summary job's script.</summary>
    public string SummaryScript => Path.Combine(Folder, $"{Kind}-summary.sbatch");

    /// <summary>The JSON report task <paramref name="task"/> writes when it finishes.</summary>
    public string Report(int task) => $"{ReportPrefix}{task}.json";

    /// <summary>The reports' path up to the task index, for the script that fills it in from <c>$SLURM_ARRAY_TASK_ID</c>.</summary>
    public string ReportPrefix => Path.Combine(Folder, "reports", $"{Kind}-");

    /// <summary>Slurm's output file of task <paramref name="task"/> (the newest attempt).</summary>
    public string Log(int task) => Path.Combine(Folder, "logs", $"{Kind}-{task}.out");

    /// <summary>The pattern Slurm fills for <see cref="Log"/>.</summary>
    public string LogPattern => Path.Combine(Folder, "logs", $"{Kind}-%a.out");

    /// <summary>The summary, JSON.</summary>
    public string SummaryJson => Path.Combine(Folder, $"{Kind}-summary.json");

    /// <summary>The summary job's own output file.</summary>
    public string SummaryLog => Path.Combine(Folder, "logs", $"{Kind}-summary.out");
}
