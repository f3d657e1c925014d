using System.Text.Json;
using AffectFuse.IO;
using AffectFuse.Workflows;

namespace AffectFuse.Cluster;

/// <summary>One task's part of a cluster run.</summary>
/// <param name="Task">The task index.</param>
/// <param name="Finished">Whether the task wrote its report (it ran to the end).</param>
/// <param name="Videos">Videos of its shard.</param>
/// <param name="Done">Videos it processed.</param>
/// <param name="Skipped">Videos already done by an earlier attempt.</param>
/// <param name="Failed">Videos that failed.</param>
/// <param name="Frames">Frames it processed.</param>
/// <param name="Seconds">Its wall-clock time.</param>
/// <param name="Problem">Why it counts as failed (no report: the last error line of its log), or null.</param>
internal sealed record TaskOutcome(int Task, bool Finished, int Videos, int Done, int Skipped, int Failed, long Frames, double Seconds, string? Problem);

/// <summary>What a whole cluster run did: videos done and failed (with their one-line errors), frames, time, and which
/// tasks to run again.</summary>
internal sealed record ClusterSummaryResult(string Kind, int Tasks, IReadOnlyList<TaskOutcome> PerTask, IReadOnlyList<ExtractionFailure> Failures,
    long Frames, double TaskSeconds, double WallSeconds)
{
    /// <summary>Videos processed with a problem worth knowing (fewer frames than their container declares).</summary>
    public IReadOnlyList<ExtractionFailure> Warnings { get; init; } = [];

    /// <summary>Videos processed by the run's tasks, in all.</summary>
    public int Done => PerTask.Sum(t => t.Done);

    /// <summary>Videos found done already.</summary>
    public int Skipped => PerTask.Sum(t => t.Skipped);

    /// <summary>Tasks that did not finish or had a video fail: each can be run again alone.</summary>
    public IReadOnlyList<int> FailedTasks => [.. PerTask.Where(t => t.Problem is not null || t.Failed > 0).Select(t => t.Task)];
}

/// <summary>Reads the reports a cluster run's tasks wrote, checks that every output they name exists, and writes one
/// summary (<see cref="ClusterLayout.SummaryJson"/>).</summary>
internal static class ClusterSummary
{
    /// <summary>Summarises the <paramref name="tasks"/> tasks of the run in <paramref name="layout"/>.</summary>
    public static ClusterSummaryResult Summarize(ClusterLayout layout, int tasks)
    {
        OptionCheck.Range("SlurmOptions.Tasks", tasks, 1, 100_000);
        var outcomes = new List<TaskOutcome>();
        var failures = new List<ExtractionFailure>();
        var warnings = new List<ExtractionFailure>();
        var spans = new List<(DateTime Start, DateTime End)>();
        for (int task = 0; task < tasks; task++)
        {
            var part = layout.Kind == "extract" ? ExtractTask(layout, task) : InferTask(layout, task);
            outcomes.Add(part.Outcome);
            failures.AddRange(part.Failures);
            warnings.AddRange(part.Warnings);
            if (part.Span is { } s) spans.Add(s);
        }
        double wall = spans.Count == 0 ? 0 : (spans.Max(s => s.End) - spans.Min(s => s.Start)).TotalSeconds;
        var result = new ClusterSummaryResult(layout.Kind, tasks, outcomes, failures, outcomes.Sum(o => o.Frames), outcomes.Sum(o => o.Seconds), wall)
        {
            Warnings = warnings,
        };
        OptionsJson.WriteFile(layout.SummaryJson, result);
        return result;
    }

    private sealed record TaskPart(TaskOutcome Outcome, IReadOnlyList<ExtractionFailure> Failures, IReadOnlyList<ExtractionFailure> Warnings,
        (DateTime Start, DateTime End)? Span);

    private static TaskPart ExtractTask(ClusterLayout layout, int task)
    {
        if (Read<FolderExtractionResult>(layout, task) is not { } r)
            return new TaskPart(Unfinished(layout, task), [], [], null);
        // Outputs named by the report must be there: the feature folder may have been cleaned since.
        var failed = r.Failures.Select(f => f.Video).ToHashSet(StringComparer.Ordinal);
        var missing = r.Videos.Zip(r.Outputs)
            .Where(p => !failed.Contains(p.First) && !File.Exists(p.Second))
            .Select(p => new ExtractionFailure(p.First, $"{p.Second}: output missing (the report of task {task} names it)"))
            .ToList();
        var failures = r.Failures.Concat(missing).ToList();
        var outcome = new TaskOutcome(task, true, r.Videos.Count, r.Done, r.Skipped, failures.Count, r.Frames, r.WallSeconds, null);
        return new TaskPart(outcome, failures, r.Warnings, (r.Started, r.Finished));
    }

    private static TaskPart InferTask(ClusterLayout layout, int task)
    {
        if (Read<FolderInferenceResult>(layout, task) is not { } r)
            return new TaskPart(Unfinished(layout, task), [], [], null);
        var missing = r.VideoIds.Where(id => !File.Exists(Path.Combine(layout.OutDir, id + ".csv")))
            .Select(id => new ExtractionFailure(id, $"{id}: its prediction CSV is missing from {layout.OutDir}")).ToList();
        var outcome = new TaskOutcome(task, true, r.VideoIds.Count, r.Videos, 0, missing.Count, r.Frames, r.Seconds, null);
        return new TaskPart(outcome, missing, [], (r.Started, r.Finished));
    }

    private static T? Read<T>(ClusterLayout layout, int task) where T : class
    {
        string path = layout.Report(task);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), OptionsJson.Settings);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // No report: the task failed as a whole (bad input, killed, out of time); its log's last error line says why.
    private static TaskOutcome Unfinished(ClusterLayout layout, int task)
    {
        string log = layout.Log(task);
        string problem = !File.Exists(log)
            ? "did not run or wrote nothing (no report, no log)"
            : File.ReadLines(log).LastOrDefault(l => l.StartsWith("error:", StringComparison.Ordinal) || l.Contains("CANCELLED", StringComparison.Ordinal))
              ?? $"ended without a report; see {log}";
        return new TaskOutcome(task, false, 0, 0, 0, 0, 0, 0, problem);
    }
}
