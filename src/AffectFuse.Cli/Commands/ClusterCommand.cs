using System.CommandLine;
using System.Globalization;
using AffectFuse.Cluster;
using AffectFuse.Data;
using AffectFuse.Inference;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse cluster</c>: extraction and inference as Slurm job arrays, and the summary of such a run.</summary>
public static class ClusterCommand
{
    /// <summary>Exit code of <c>cluster summary</c> when a task failed or a video did.</summary>
    public const int SomeFailed = 1;

    /// <summary>Builds the command group.</summary>
    public static Command Create() => new("cluster", "Run extraction or inference on a cluster: a Slurm job array of length-balanced shards and a summary job")
    {
        new Command("slurm", "Submit a Slurm job array (sbatch --array) whose task i runs shard i of N, then a summary job that runs when all have ended")
        {
            SlurmExtract(),
            SlurmInfer(),
        },
        Summary(),
    };

    private sealed class SlurmArguments
    {
        public Option<int> Tasks { get; } = new("--tasks") { Description = "Array tasks N (shards)", Required = true };
        public Option<int> Cpus { get; } = new("--cpus-per-task") { Description = "CPUs per task", DefaultValueFactory = _ => new SlurmOptions().CpusPerTask };
        public Option<string?> Partition { get; } = new("--partition") { Description = "Slurm partition [the cluster's default]" };
        public Option<string?> Time { get; } = new("--time") { Description = "Time limit per task, e.g. 2:00:00 [the partition's]" };
        public Option<string?> Memory { get; } = new("--mem") { Description = "Memory per task, e.g. 8G [the partition's]" };
        public Option<string[]> Sbatch { get; } = new("--sbatch-arg") { Description = "Another sbatch option, as given (repeatable), e.g. --sbatch-arg=--account=lab", AllowMultipleArgumentsPerToken = false };
        public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Write the scripts and say what would be submitted, without calling sbatch" };

        public void AddTo(Command command)
        {
            foreach (var o in new Option[] { Tasks, Cpus, Partition, Time, Memory, Sbatch, DryRun })
                command.Options.Add(o);
        }

        public SlurmOptions Resolve(ParseResult parse)
        {
            var options = new SlurmOptions
            {
                Tasks = parse.GetValue(Tasks), CpusPerTask = parse.GetValue(Cpus), Partition = parse.GetValue(Partition),
                Time = parse.GetValue(Time), Memory = parse.GetValue(Memory), SbatchArguments = parse.GetValue(Sbatch) ?? [],
            };
            options.Validate();
            return options;
        }
    }

    private static Command SlurmExtract()
    {
        var inputs = new Argument<string[]>("videos") { Description = "Video files or folders, on the file system the cluster shares", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Feature folder (shared); the run's scripts, reports and logs go in its .affectfuse-cluster/", Required = true };
        var slurm = new SlurmArguments();
        var extraction = new ExtractionArguments(featureSets: true);
        var command = new Command("extract", "Extract a set of videos as a Slurm job array: task i runs 'extract --shard i/N' (shards balanced by video length); submitting again runs only what is left");
        command.Arguments.Add(inputs);
        command.Options.Add(output);
        slurm.AddTo(command);
        extraction.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var options = extraction.Resolve(parse);
            var s = slurm.Resolve(parse);
            string outDir = AffectFuse.IO.OutputLocation.Folder(parse.GetRequiredValue(output));
            var videos = parse.GetRequiredValue(inputs).Select(Path.GetFullPath).ToList();
            var layout = new ClusterLayout(outDir, "extract");
            var spec = new ArrayJobSpec
            {
                Layout = layout,
                TaskCommand = [.. SelfCommand.Prefix(), "extract", .. videos, "--out", outDir, .. extraction.ToArguments(options)],
                SummaryCommand = [.. SelfCommand.Prefix(), "cluster", "summary", outDir, "--kind", "extract", "--tasks", Num(s.Tasks)],
                PendingTasks = ClusterPlan.PendingExtraction(videos, layout, options, s.Tasks),
                Slurm = s,
            };
            return Submitted(SlurmSubmitter.Submit(spec, parse.GetValue(slurm.DryRun)), s.Tasks);
        }));
        return command;
    }

    private static Command SlurmInfer()
    {
        var shared = new PredictionArguments();
        var output = new Option<string>("--out") { Description = "Folder for the per-video prediction CSVs (shared)", Required = true };
        var abawTxt = new Option<string?>("--abaw-txt") { Description = "Also write one annotation-format .txt per video into this folder" };
        var slurm = new SlurmArguments();
        var command = new Command("infer", "Predict every video of a feature folder as a Slurm job array: task i runs 'infer --shard i/N' (shards balanced by feature-file size); submitting again runs only what is left");
        shared.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(abawTxt);
        slurm.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var source = shared.Source(parse, labelsDir: null);
            var checkpoint = shared.LoadCheckpoint(parse);
            InferenceOptions inference;
            using (checkpoint.Model)
                inference = shared.Inference(parse, checkpoint);
            var s = slurm.Resolve(parse);
            string outDir = AffectFuse.IO.OutputLocation.Folder(parse.GetRequiredValue(output));
            var layout = new ClusterLayout(outDir, "infer");
            var spec = new ArrayJobSpec
            {
                Layout = layout,
                TaskCommand = [.. SelfCommand.Prefix(), "infer", "--model", Path.GetFullPath(parse.GetValue(shared.Model)!), .. SourceArguments(source), .. InferenceArguments(inference),
                    "--out", outDir, .. parse.GetValue(abawTxt) is { } txt ? new[] { "--abaw-txt", Path.GetFullPath(txt) } : []],
                SummaryCommand = [.. SelfCommand.Prefix(), "cluster", "summary", outDir, "--kind", "infer", "--tasks", Num(s.Tasks)],
                PendingTasks = ClusterPlan.PendingInference(source, layout, s.Tasks),
                Slurm = s,
            };
            return Submitted(SlurmSubmitter.Submit(spec, parse.GetValue(slurm.DryRun)), s.Tasks);
        }));
        return command;
    }

    private static Command Summary()
    {
        var folder = new Argument<string>("out") { Description = "The run's output folder (the --out of the submission)" };
        var kind = new Option<string>("--kind") { Description = "extract or infer", DefaultValueFactory = _ => "extract" };
        kind.AcceptOnlyFromAmong("extract", "infer");
        var tasks = new Option<int>("--tasks") { Description = "Array tasks N of the run", Required = true };
        var command = new Command("summary", "Summarise a cluster run from its tasks' reports: videos done and failed (with their errors), frames, time, and the tasks to run again; writes .affectfuse-cluster/KIND-summary.json");
        command.Arguments.Add(folder);
        command.Options.Add(kind);
        command.Options.Add(tasks);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string outDir = Path.GetFullPath(parse.GetRequiredValue(folder));
            if (!Directory.Exists(outDir))
                throw new AffectFuseException(outDir, "folder does not exist");
            var layout = new ClusterLayout(outDir, parse.GetValue(kind)!);
            var result = ClusterSummary.Summarize(layout, parse.GetValue(tasks));
            PrintSummary(result, layout);
            return result.FailedTasks.Count > 0 ? SomeFailed : 0;
        }));
        return command;
    }

    private static int Submitted(Submission s, int tasks)
    {
        var layout = s.Layout;
        if (s.SummaryJobId is null)
            AnsiConsole.MarkupLine($"dry run: scripts in [blue]{Markup.Escape(layout.Folder)}[/]; would submit tasks {Markup.Escape(s.Tasks.Count > 0 ? SlurmSubmitter.ArrayList(s.Tasks) : "none")} of {tasks}");
        else if (s.ArrayJobId is null)
            AnsiConsole.MarkupLine($"nothing left to do: every task of {tasks} has reported and every output exists; summary job [bold]{s.SummaryJobId}[/]");
        else
            AnsiConsole.MarkupLine($"submitted array job [bold]{s.ArrayJobId}[/] (tasks {SlurmSubmitter.ArrayList(s.Tasks)} of {tasks}) and summary job [bold]{s.SummaryJobId}[/] (after it ends)");
        AnsiConsole.MarkupLine($"watch: squeue -j {s.ArrayJobId ?? s.SummaryJobId ?? "JOBID"}; logs in [blue]{Markup.Escape(Path.GetDirectoryName(layout.Log(0))!)}[/]; summary: [blue]{Markup.Escape(layout.SummaryJson)}[/]");
        return 0;
    }

    private static void PrintSummary(ClusterSummaryResult r, ClusterLayout layout)
    {
        var table = new Table().AddColumns("task", "finished", "videos", "done", "skipped", "failed", "frames", "seconds", "problem");
        foreach (var t in r.PerTask)
            table.AddRow(Num(t.Task), t.Finished ? "yes" : "[red]no[/]", Num(t.Videos), Num(t.Done), Num(t.Skipped), t.Failed > 0 ? $"[red]{t.Failed}[/]" : "0",
                t.Frames.ToString(CultureInfo.InvariantCulture), t.Seconds.ToString("0.0", CultureInfo.InvariantCulture), Markup.Escape(t.Problem ?? ""));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{r.Kind}: {r.Done} videos done, {r.Skipped} already done, {r.Failures.Count} failed; {r.Frames} frames; " +
            $"{r.TaskSeconds:0.0} s of task time, {r.WallSeconds:0.0} s from the first task's start to the last one's end");
        foreach (var w in r.Warnings)
            CommandRunner.Warn(w.Problem);
        foreach (var f in r.Failures)
            Console.Error.WriteLine($"error: {f.Problem}");
        foreach (int task in r.FailedTasks)
            Console.Error.WriteLine($"task {task} failed: run it again alone with  sbatch --array={task} {SlurmSubmitter.Quote(layout.TaskScript)}  (or submit the same command again)");
    }

    private static IEnumerable<string> SourceArguments(DatasetSource source)
    {
        if (source.FeaturesDir is { } f) { yield return "--features"; yield return Path.GetFullPath(f); }
        if (source.VisualNpyDir is { } v) { yield return "--visual-npy"; yield return Path.GetFullPath(v); }
        if (source.AudioNpyDir is { } a) { yield return "--audio-npy"; yield return Path.GetFullPath(a); }
        yield return "--fps";
        yield return source.Fps.ToString("R", CultureInfo.InvariantCulture);
    }

    private static IEnumerable<string> InferenceArguments(InferenceOptions o)
    {
        string[] args = ["--window", Num(o.Window), "--stride", Num(o.Stride), "--smooth", Num(o.SmoothingHalfWidth), "--batch-size", Num(o.BatchSize)];
        return o.CentreWeighted ? args : [.. args, "--uniform-votes"];
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
}
