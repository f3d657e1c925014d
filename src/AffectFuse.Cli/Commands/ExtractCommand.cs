using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AffectFuse.Data;
using AffectFuse.Faces;
using AffectFuse.Features;
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
        var inputs = new Argument<string[]>("videos") { Description = "Video files, or folders scanned recursively for videos (mp4, avi, mkv, mov, webm, mpg, …)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Folder for the per-video .npz feature files", Required = true };
        var shard = new Option<string?>("--shard") { Description = "Extract only shard i of N (0-based, e.g. 0/4): a stable hash of each video's relative path" };
        var extraction = new ExtractionArguments(featureSets: true);

        var command = new Command("extract", "Extract per-frame visual and audio features from videos into .npz files");
        command.Arguments.Add(inputs);
        command.Options.Add(output);
        command.Options.Add(shard);
        extraction.AddTo(command);

        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var options = extraction.Resolve(parse);
            string outDir = Path.GetFullPath(parse.GetRequiredValue(output));
            var videos = VideoInputs.Discover(parse.GetRequiredValue(inputs));
            if (parse.GetValue(shard) is string shardText)
            {
                var (index, count) = VideoInputs.ParseShard(shardText);
                videos = VideoInputs.Shard(videos, index, count);
            }
            return Extract(videos, outDir, options);
        }));
        return command;
    }

    /// <summary>The output file of <paramref name="video"/>.</summary>
    public static string OutputPath(string outDir, string video, FaceSelection face)
        => Path.Combine(outDir, FeatureExtractionPipeline.VideoIdFor(video, face) + FeatureFile.Extension);

    private static int Extract(IReadOnlyList<VideoInput> videos, string outDir, ExtractionOptions options)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in videos)
        {
            string target = OutputPath(outDir, v.Path, options.Face);
            if (!owners.TryAdd(target, v.Path))
                throw new AffectFuseException(v.Path, $"would write the same output {target} as {owners[target]}; rename one of them or extract them separately");
        }
        var todo = videos.Where(v => !File.Exists(OutputPath(outDir, v.Path, options.Face))).ToList();
        int skipped = videos.Count - todo.Count;
        var failures = new List<string>();
        int done = 0;
        long frames = 0;
        double videoSeconds = 0;
        var clock = Stopwatch.StartNew();

        if (todo.Count > 0)
        {
            Directory.CreateDirectory(outDir);
            using var pipeline = new FeatureExtractionPipeline(options);
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("extract", maxValue: todo.Count);
                    for (int i = 0; i < todo.Count; i++)
                    {
                        var video = todo[i];
                        string name = Markup.Escape(Path.GetFileName(video.Path));
                        var progress = new SynchronousProgress<ExtractionProgress>(p =>
                        {
                            double within = p.FramesExpected is > 0 ? Math.Min(0.99, (double)p.FramesDone / p.FramesExpected.Value) : 0;
                            task.Value = i + within;
                            task.Description = $"{i + 1}/{todo.Count} {name} · {p.FramesPerSecond:0} frames/s";
                        });
                        try
                        {
                            var features = pipeline.Extract(video.Path, progress);
                            FeatureFile.Save(features, OutputPath(outDir, video.Path, options.Face));
                            done++;
                            frames += features.FrameCount;
                            videoSeconds += pipeline.LastStatistics?.VideoSeconds ?? 0;
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            failures.Add(e is AffectFuseException ? e.Message : $"{video.Path}: {e.GetType().Name}: {e.Message}");
                        }
                        task.Value = i + 1;
                    }
                    task.Description = $"extracted {done}, failed {failures.Count}";
                });
        }

        foreach (string failure in failures)
            Console.Error.WriteLine($"error: {failure}");
        PrintSummary(done, skipped, failures.Count, frames, videoSeconds, clock.Elapsed.TotalSeconds, outDir);
        return failures.Count > 0 ? SomeFailed : 0;
    }

    private static void PrintSummary(int done, int skipped, int failed, long frames, double videoSeconds, double wallSeconds, string outDir)
    {
        var inv = CultureInfo.InvariantCulture;
        var table = new Table().AddColumns("videos done", "skipped (exist)", "failed", "frames", "frames/s", "real-time factor", "wall time");
        table.AddRow(done.ToString(inv), skipped.ToString(inv), failed > 0 ? $"[red]{failed}[/]" : "0", frames.ToString(inv),
            done > 0 ? (frames / Math.Max(wallSeconds, 1e-9)).ToString("0", inv) : "–",
            done > 0 ? (videoSeconds / Math.Max(wallSeconds, 1e-9)).ToString("0.0", inv) + "×" : "–",
            TimeSpan.FromSeconds(wallSeconds).ToString(@"h\:mm\:ss", inv));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"features in [blue]{Markup.Escape(outDir)}[/]");
    }
}
