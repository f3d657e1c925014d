using AffectFuse.IO;
using System.CommandLine;
using System.Globalization;
using AffectFuse.Faces;
using AffectFuse.Decoding;
using AffectFuse.Features;
using AffectFuse.Workflows;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse extract</c>: one <c>&lt;stem&gt;.npz</c> feature file per video, resumable and shardable.</summary>
/// <remarks>
/// Output names: the video's stem, plus <c>_left</c>/<c>_right</c> with <c>--face left|right</c> (Aff-Wild2's label names).
/// Resume: a video whose output exists is skipped; files are written atomically, so an existing one is complete.
/// Shards: <c>--shard i/N</c> (0-based) keeps the videos whose FNV-1a hash of their path relative to the folder named
/// on the command line (the file name for a file named directly) is i modulo N — stable across machines and runs.
/// Exit code: 0 when every video was extracted or skipped, 1 when any failed, 2 for bad arguments.
/// </remarks>
public static class ExtractCommand
{
    /// <summary>Exit code when at least one video failed (the others were still extracted).</summary>
    public const int SomeFailed = 1;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var inputs = new Argument<string[]>("videos")
        {
            Description = "Video or audio files, or folders scanned recursively for them (mp4, avi, mkv, mov, webm, mpg, …, wav, flac, mp3, m4a, ogg, opus)",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out") { Description = "Folder for the per-video .npz feature files", Required = true };
        var shard = new Option<string?>("--shard") { Description = "Extract only shard i of N (0-based, e.g. 0/4): shards balanced by each video's length (frames its container declares), the same on every machine" };
        var json = new Option<string?>("--json") { Description = "Also write what the run did (videos done, skipped, failed with their errors, frames, time) as JSON to this file" };
        var extraction = new ExtractionArguments(featureSets: true);

        var command = new Command("extract", "Extract per-frame visual and audio features from videos into .npz files. A file without a video stream " +
            $"(decided by its streams, not its name) gets audio rows at {AudioOnlyFrames.Rule}, and all-zero visual rows with visual_mask all false.");
        command.Arguments.Add(inputs);
        command.Options.Add(output);
        command.Options.Add(shard);
        command.Options.Add(json);
        extraction.AddTo(command);

        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var options = extraction.Resolve(parse);
            var shardOf = parse.GetValue(shard) is string shardText ? ShardArgument.Parse(shardText) : ((int, int)?)null;
            var plan = FolderExtraction.Plan(parse.GetRequiredValue(inputs), parse.GetRequiredValue(output), options, shardOf);
            string? jsonPath = parse.GetValue(json) is { } j ? OutputLocation.File(j) : null;
            var result = Run(plan);
            if (jsonPath is not null)
                OptionsJson.WriteFile(jsonPath, result);
            foreach (var warning in result.Warnings)
                CommandRunner.Warn(warning.Problem);
            foreach (var failure in result.Failures)
                Console.Error.WriteLine($"error: {failure.Problem}");
            PrintSummary(result);
            return result.Failures.Count > 0 ? SomeFailed : 0;
        }));
        return command;
    }

    /// <summary>The output file of <paramref name="video"/>.</summary>
    public static string OutputPath(string outDir, string video, FaceSelection face) => FolderExtraction.OutputPath(outDir, video, face);

    // Progress on stderr: stdout keeps only the summary, for a file or a program to read.
    private static FolderExtractionResult Run(FolderExtraction plan)
    {
        FolderExtractionResult result = null!;
        ProgressDisplay.Start(ctx =>
        {
            var task = ctx.AddTask("extract", maxValue: Math.Max(1, plan.Videos.Count));
            result = plan.Run(new SynchronousProgress<FolderExtractionProgress>(p =>
            {
                string name = Markup.Escape(Path.GetFileName(p.Video));
                double within = p.Within?.FramesExpected is > 0 ? Math.Min(0.99, (double)p.Within.FramesDone / p.Within.FramesExpected.Value) : 0;
                task.MaxValue = Math.Max(1, p.Count);
                task.Value = p.Index + within;
                task.Description = $"{p.Index + 1}/{p.Count} {name} · {p.Within?.FramesPerSecond ?? 0:0} frames/s";
            }));
            task.Value = task.MaxValue;
            task.Description = $"extracted {result.Done}, failed {result.Failures.Count}";
        });
        return result;
    }

    private static void PrintSummary(FolderExtractionResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        var table = new Table().AddColumns("videos done", "skipped (exist)", "redone (unreadable)", "failed", "frames", "frames/s", "real-time factor", "wall time");
        table.AddRow(r.Done.ToString(inv), r.Skipped.ToString(inv), r.Redone.ToString(inv), r.Failures.Count > 0 ? $"[red]{r.Failures.Count}[/]" : "0", r.Frames.ToString(inv),
            r.Done > 0 ? (r.Frames / Math.Max(r.WallSeconds, 1e-9)).ToString("0", inv) : "–",
            r.Done > 0 ? (r.VideoSeconds / Math.Max(r.WallSeconds, 1e-9)).ToString("0.0", inv) + "×" : "–",
            TimeSpan.FromSeconds(r.WallSeconds).ToString(@"h\:mm\:ss", inv));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"features in [blue]{Markup.Escape(r.OutDir)}[/]");
    }
}
