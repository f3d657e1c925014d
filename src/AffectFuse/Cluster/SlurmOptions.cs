namespace AffectFuse.Cluster;

/// <summary>How a job array is asked of Slurm. Defaults suit one task per two cores.</summary>
internal sealed record SlurmOptions
{
    /// <summary>Array tasks N: the work is split into N shards, task i runs shard i. Required.</summary>
    public int Tasks { get; init; } = 1;

    /// <summary>CPUs per task (<c>--cpus-per-task</c>); extraction overlaps three stages on them. Default 2.</summary>
    public int CpusPerTask { get; init; } = 2;

    /// <summary>Partition (<c>--partition</c>); null = the cluster's default.</summary>
    public string? Partition { get; init; }

    /// <summary>Time limit per task (<c>--time</c>, Slurm's format, e.g. <c>2:00:00</c>); null = the partition's.</summary>
    public string? Time { get; init; }

    /// <summary>Memory per task (<c>--mem</c>, e.g. <c>8G</c>); null = the partition's.</summary>
    public string? Memory { get; init; }

    /// <summary>Job name prefix (<c>--job-name</c>). Default <c>affectfuse</c>.</summary>
    public string JobName { get; init; } = "affectfuse";

    /// <summary>Further <c>sbatch</c> options, passed as given (e.g. <c>--account=lab</c>, <c>--qos=short</c>).</summary>
    public IReadOnlyList<string> SbatchArguments { get; init; } = [];

    /// <summary>Checks every value; a bad one is an <see cref="AffectFuseException"/> naming the option.</summary>
    public void Validate()
    {
        OptionCheck.Range("SlurmOptions.Tasks", Tasks, 1, 100_000);
        OptionCheck.Range("SlurmOptions.CpusPerTask", CpusPerTask, 1, 1024);
        if (string.IsNullOrWhiteSpace(JobName) || JobName.Any(char.IsWhiteSpace))
            throw OptionCheck.Bad("SlurmOptions.JobName", "must be one word", JobName);
        foreach (string a in SbatchArguments)
            if (!a.StartsWith('-'))
                throw OptionCheck.Bad("SlurmOptions.SbatchArguments", "must be an sbatch option such as --account=lab", a);
    }
}
