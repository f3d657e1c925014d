using AffectFuse.IO;
using System.CommandLine;
using System.Globalization;
using AffectFuse.Data.Synthetic;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse synth</c>: writes a synthetic data set in the Aff-Wild2 layout.</summary>
public static class SynthCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var d = new SyntheticOptions();
        var output = new Option<string>("--out") { Description = "Output folder (gets EXPR_Recognition_Challenge/ and features/)", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed writes the same files", DefaultValueFactory = _ => d.Seed };
        var train = new Option<int>("--train-videos") { Description = "Training videos (two-person pairs count as two)", DefaultValueFactory = _ => d.TrainVideos };
        var validation = new Option<int>("--validation-videos") { Description = "Validation videos", DefaultValueFactory = _ => d.ValidationVideos };
        var test = new Option<int>("--test-videos") { Description = "Test videos (Test_Set, held out; `bench ablate` needs them)", DefaultValueFactory = _ => d.TestVideos };
        var pairs = new Option<int>("--pairs") { Description = "Two-person (_left/_right) videos sharing one audio track, in the training split", DefaultValueFactory = _ => d.TwoPersonPairs };
        var minFrames = new Option<int>("--min-frames") { Description = "Shortest video, frames", DefaultValueFactory = _ => d.MinFrames };
        var maxFrames = new Option<int>("--max-frames") { Description = "Longest video, frames", DefaultValueFactory = _ => d.MaxFrames };
        var visualDim = new Option<int>("--visual-dim") { Description = "Visual feature width", DefaultValueFactory = _ => d.VisualDim };
        var audioDim = new Option<int>("--audio-dim") { Description = "Audio feature width", DefaultValueFactory = _ => d.AudioDim };
        var noFace = new Option<double>("--no-face") { Description = "Fraction of frames without a face", DefaultValueFactory = _ => d.NoFaceFraction };
        var noAudio = new Option<double>("--no-audio") { Description = "Fraction of frames without audio", DefaultValueFactory = _ => d.NoAudioFraction };
        var unannotated = new Option<double>("--unannotated") { Description = "Fraction of frames labelled -1", DefaultValueFactory = _ => d.UnannotatedFraction };
        var noise = new Option<double>("--noise") { Description = "Per-frame noise standard deviation (higher = harder)", DefaultValueFactory = _ => d.NoiseStd };
        var surplus = new Option<int>("--surplus-label-videos") { Description = "Training videos whose label file has one label too many (the organisers' off-by-one)", DefaultValueFactory = _ => d.SurplusLabelVideos };

        var command = new Command("synth", "Write a synthetic Aff-Wild2-layout data set (labels + .npz features) for trying the pipeline without the real data");
        foreach (var option in new Option[] { output, seed, train, validation, test, pairs, minFrames, maxFrames, visualDim, audioDim, noFace, noAudio, unannotated, noise, surplus })
            command.Add(option);

        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var options = d with
            {
                Seed = parse.GetValue(seed),
                TrainVideos = parse.GetValue(train),
                ValidationVideos = parse.GetValue(validation),
                TestVideos = parse.GetValue(test),
                TwoPersonPairs = parse.GetValue(pairs),
                MinFrames = parse.GetValue(minFrames),
                MaxFrames = parse.GetValue(maxFrames),
                VisualDim = parse.GetValue(visualDim),
                AudioDim = parse.GetValue(audioDim),
                NoFaceFraction = parse.GetValue(noFace),
                NoAudioFraction = parse.GetValue(noAudio),
                UnannotatedFraction = parse.GetValue(unannotated),
                NoiseStd = parse.GetValue(noise),
                SurplusLabelVideos = parse.GetValue(surplus),
            };
            options.Validate();
            string outDir = OutputLocation.Folder(parse.GetRequiredValue(output));

            SyntheticSummary? summary = null;
            ProgressDisplay.Create(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("writing videos", maxValue: options.TrainVideos + options.ValidationVideos + options.TestVideos);
                    summary = SyntheticDataset.Generate(options, outDir, new SynchronousProgress<int>(n => task.Value = n));
                    task.StopTask();
                    ctx.Refresh();
                });
            Print(summary!, options);
            return 0;
        }));
        return command;
    }

    private static void Print(SyntheticSummary s, SyntheticOptions o)
    {
        string Pct(double v) => (100 * v).ToString("0.0", CultureInfo.InvariantCulture) + " %";
        double targetSum = o.ClassShares.Sum();
        bool hasTest = s.TestVideoIds.Count > 0;
        string N(long v) => v.ToString(CultureInfo.InvariantCulture);
        var table = new Table().AddColumns(hasTest ? ["class", "train", "validation", "test", "target"] : ["class", "train", "validation", "target"]);
        for (int c = 0; c < ExpressionClasses.Count; c++)
            table.AddRow(hasTest
                ? [ExpressionClasses.Names[c], Pct(s.TrainClassShares[c]), Pct(s.ValidationClassShares[c]), Pct(s.TestClassShares[c]), Pct(o.ClassShares[c] / targetSum)]
                : [ExpressionClasses.Names[c], Pct(s.TrainClassShares[c]), Pct(s.ValidationClassShares[c]), Pct(o.ClassShares[c] / targetSum)]);
        table.AddEmptyRow();
        table.AddRow(hasTest ? ["videos", N(s.TrainVideoIds.Count), N(s.ValidationVideoIds.Count), N(s.TestVideoIds.Count), ""] : ["videos", N(s.TrainVideoIds.Count), N(s.ValidationVideoIds.Count), ""]);
        table.AddRow(hasTest ? ["frames", N(s.TrainFrames), N(s.ValidationFrames), N(s.TestFrames), ""] : ["frames", N(s.TrainFrames), N(s.ValidationFrames), ""]);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"unannotated {Pct(s.UnannotatedFraction)}, no face {Pct(s.NoFaceFraction)}, no audio {Pct(s.NoAudioFraction)}");
        AnsiConsole.MarkupLine($"labels: [blue]{Markup.Escape(s.TrainLabelsDir)}[/], [blue]{Markup.Escape(s.ValidationLabelsDir)}[/]" +
            (s.TestLabelsDir is { } t ? $", [blue]{Markup.Escape(t)}[/]" : ""));
        AnsiConsole.MarkupLine($"features: [blue]{Markup.Escape(s.FeaturesDir)}[/]");
    }
}
