using System.CommandLine;
using System.Globalization;
using AffectFuse.Benchmarks.Compose;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse bench compose</c>: renders Aff-Wild2-style benchmark videos (H.264 + AAC) and label files from
/// EmoDB speech and labelled face photographs.</summary>
public static class BenchComposeCommand
{
    /// <summary>Builds the command (named <c>compose</c>; it belongs under <c>bench</c>).</summary>
    public static Command Create()
    {
        var d = new ComposeOptions();
        string Of(double v) => v.ToString(CultureInfo.InvariantCulture);
        var data = new Option<DirectoryInfo>("--data") { Description = "Data folder with faces/ (labels.csv, images/) and emodb/wav/ [../shared/data]", DefaultValueFactory = _ => new DirectoryInfo("../shared/data") };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Output folder (videos/, EXPR_Recognition_Challenge/, compose.json)", Required = true };
        var seed = new Option<int>("--seed") { Description = $"Random seed [{d.Seed}]", DefaultValueFactory = _ => d.Seed };
        var trainClips = new Option<int?>("--train-clips") { Description = $"Training clips [{d.TrainClips}]" };
        var valClips = new Option<int?>("--validation-clips") { Description = $"Validation clips [{d.ValidationClips}]" };
        var testClips = new Option<int?>("--test-clips") { Description = $"Test clips [{d.TestClips}]" };
        var minSeconds = new Option<double?>("--min-seconds") { Description = $"Shortest clip, s [{Of(d.MinClipSeconds)}]" };
        var maxSeconds = new Option<double?>("--max-seconds") { Description = $"Longest clip, s [{Of(d.MaxClipSeconds)}]" };
        var minSegment = new Option<double?>("--min-segment") { Description = $"Shortest expression segment, s [{Of(d.MinSegmentSeconds)}]" };
        var maxSegment = new Option<double?>("--max-segment") { Description = $"Longest expression segment, s [{Of(d.MaxSegmentSeconds)}]" };
        var stay = new Option<double?>("--stay-probability") { Description = $"Probability a segment keeps the previous class [{Of(d.StayProbability)}]" };
        var prior = new Option<string?>("--class-prior") { Description = "8 comma-separated class weights, Aff-Wild2 order [Aff-Wild2 train shares 30.3,2.8,1.8,1.6,16.3,13.5,5.4,28.3]" };
        var floor = new Option<double?>("--class-floor") { Description = $"Least share of any class in the prior; 0 keeps the prior as given [{Of(d.ClassFloor)}]" };
        var fps = new Option<int?>("--fps") { Description = $"Frames per second [{d.Fps}]" };
        var width = new Option<int?>("--width") { Description = $"Frame width [{d.Width}]" };
        var height = new Option<int?>("--height") { Description = $"Frame height [{d.Height}]" };
        var faceScale = new Option<double?>("--face-scale") { Description = $"Photo height as a share of the frame height [{Of(d.FaceScale)}]" };
        var absent = new Option<double?>("--absent-fraction") { Description = $"Share of frames with the face off-frame, turned away or covered [{Of(d.AbsentFraction)}]" };
        var silent = new Option<double?>("--silent-fraction") { Description = $"Share of frames without speech [{Of(d.SilentFraction)}]" };
        var noise = new Option<NoiseKind?>("--noise") { Description = $"Background noise: Pink or White [{d.Noise}]" };
        var minSnr = new Option<double?>("--min-snr") { Description = $"Lowest speech-to-noise ratio, dB [{Of(d.MinSnrDb)}]" };
        var maxSnr = new Option<double?>("--max-snr") { Description = $"Highest speech-to-noise ratio, dB [{Of(d.MaxSnrDb)}]" };
        var audioRate = new Option<int?>("--audio-rate") { Description = $"AAC sample rate, Hz [{d.AudioSampleRate}]" };
        var crf = new Option<int?>("--crf") { Description = $"x264 constant rate factor [{d.Crf}]" };
        var preset = new Option<string?>("--preset") { Description = $"x264 preset [{d.Preset}]" };
        var trainSpeakers = new Option<string?>("--train-speakers") { Description = $"EmoDB speakers of the training split [{string.Join(",", d.TrainSpeakers)}]" };
        var valSpeakers = new Option<string?>("--validation-speakers") { Description = $"EmoDB speakers of the validation split [{string.Join(",", d.ValidationSpeakers)}]" };
        var testSpeakers = new Option<string?>("--test-speakers") { Description = $"EmoDB speakers of the test split [{string.Join(",", d.TestSpeakers)}]" };

        var command = new Command("compose", "Compose Aff-Wild2-style benchmark videos (H.264 + AAC .mp4) and EXPR label files from EmoDB speech and " +
            "labelled face photographs; each split uses only its own speakers and identities. Re-running into the same folder resumes.");
        foreach (var o in new Option[] { data, outDir, seed, trainClips, valClips, testClips, minSeconds, maxSeconds, minSegment, maxSegment, stay, prior, floor,
                     fps, width, height, faceScale, absent, silent, noise, minSnr, maxSnr, audioRate, crf, preset, trainSpeakers, valSpeakers, testSpeakers })
            command.Options.Add(o);

        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(() =>
        {
            var options = new ComposeOptions
            {
                Seed = parse.GetValue(seed),
                TrainClips = parse.GetValue(trainClips) ?? d.TrainClips,
                ValidationClips = parse.GetValue(valClips) ?? d.ValidationClips,
                TestClips = parse.GetValue(testClips) ?? d.TestClips,
                MinClipSeconds = parse.GetValue(minSeconds) ?? d.MinClipSeconds,
                MaxClipSeconds = parse.GetValue(maxSeconds) ?? d.MaxClipSeconds,
                MinSegmentSeconds = parse.GetValue(minSegment) ?? d.MinSegmentSeconds,
                MaxSegmentSeconds = parse.GetValue(maxSegment) ?? d.MaxSegmentSeconds,
                StayProbability = parse.GetValue(stay) ?? d.StayProbability,
                ClassPrior = parse.GetValue(prior) is { } p ? ListArgument.Numbers(p, "--class-prior") : d.ClassPrior,
                ClassFloor = parse.GetValue(floor) ?? d.ClassFloor,
                Fps = parse.GetValue(fps) ?? d.Fps,
                Width = parse.GetValue(width) ?? d.Width,
                Height = parse.GetValue(height) ?? d.Height,
                FaceScale = parse.GetValue(faceScale) ?? d.FaceScale,
                AbsentFraction = parse.GetValue(absent) ?? d.AbsentFraction,
                SilentFraction = parse.GetValue(silent) ?? d.SilentFraction,
                Noise = parse.GetValue(noise) ?? d.Noise,
                MinSnrDb = parse.GetValue(minSnr) ?? d.MinSnrDb,
                MaxSnrDb = parse.GetValue(maxSnr) ?? d.MaxSnrDb,
                AudioSampleRate = parse.GetValue(audioRate) ?? d.AudioSampleRate,
                Crf = parse.GetValue(crf) ?? d.Crf,
                Preset = parse.GetValue(preset) ?? d.Preset,
                TrainSpeakers = parse.GetValue(trainSpeakers) is { } ts ? ListArgument.Names(ts) : d.TrainSpeakers,
                ValidationSpeakers = parse.GetValue(valSpeakers) is { } vs ? ListArgument.Names(vs) : d.ValidationSpeakers,
                TestSpeakers = parse.GetValue(testSpeakers) is { } es ? ListArgument.Names(es) : d.TestSpeakers,
            };
            string outPath = parse.GetValue(outDir)!.FullName;
            var composer = new BenchmarkComposer(parse.GetValue(data)!.ToString(), outPath, options, CommandRunner.Warn);

            ComposeResult result = null!;
            ProgressDisplay.Create(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .AutoClear(false)
                .Start(ctx =>
                {
                    var task = ctx.AddTask("composing", maxValue: 1);
                    var reporter = new SynchronousProgress<ComposeProgress>(r =>
                    {
                        task.MaxValue = r.Total;
                        task.Value = r.Done;
                        task.Description = Markup.Escape(r.Skipped ? $"{r.Clip} (kept)" : $"{r.Clip} {r.Seconds:F1} s");
                    });
                    result = composer.Run(reporter, cancel);
                    task.Value = task.MaxValue;
                });
            Print(result, options, outPath);
            return 0;
        })));
        return command;
    }

    private static void Print(ComposeResult result, ComposeOptions options, string outPath)
    {
        // One column per split keeps the table narrow enough for an 80-column terminal.
        var summaries = result.Summaries;
        var table = new Table().Border(TableBorder.Rounded).Title("composed benchmark");
        table.AddColumn("");
        foreach (var s in summaries)
            table.AddColumn(new TableColumn(ComposeLayout.SplitName(s.Split)).RightAligned());
        void Row(string name, Func<ComposeSummary, string> cell) => table.AddRow([name, .. summaries.Select(cell)]);
        Row("clips", s => s.Clips.ToString());
        Row("frames", s => s.Frames.ToString("N0"));
        Row("minutes", s => (s.Frames / (double)options.Fps / 60).ToString("F1"));
        for (int c = 0; c < ExpressionClasses.Count; c++)
        {
            int cls = c;
            Row($"{ExpressionClasses.Names[c]} %", s => (100 * s.ClassShares[cls]).ToString("F1"));
        }
        Row("face absent %", s => (100 * s.AbsentShare).ToString("F1"));
        Row("silent %", s => (100 * s.SilentShare).ToString("F1"));
        AnsiConsole.Write(table);

        var composed = result.Clips.Where(c => !c.Skipped).ToList();
        int kept = result.Clips.Count - composed.Count;
        if (composed.Count > 0)
        {
            double seconds = composed.Sum(c => c.Seconds);
            double videoSeconds = result.Manifest.Clips.Where(c => composed.Any(x => x.Clip == c.Name)).Sum(c => c.Frames) / (double)options.Fps;
            AnsiConsole.MarkupLine($"composed {composed.Count} clips in {seconds:F1} s ({seconds / composed.Count:F1} s per clip, {videoSeconds / seconds:F1}× real time)" +
                (kept > 0 ? $"; kept {kept} existing" : ""));
        }
        else
            AnsiConsole.MarkupLine($"all {kept} clips already composed; nothing to do");
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(ComposeLayout.ManifestPath(outPath))}[/]");
    }

}
