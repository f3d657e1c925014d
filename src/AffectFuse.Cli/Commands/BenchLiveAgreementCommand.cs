using System.CommandLine;
using System.Globalization;
using AffectFuse.Benchmarks;
using AffectFuse.IO;
using AffectFuse.Workflows;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse bench live-agreement CLIP…</c>: how close live labels come to predict's as the look-ahead grows.</summary>
public static class BenchLiveAgreementCommand
{
    /// <summary>Builds the <c>live-agreement</c> subcommand (attach it under <c>bench</c>).</summary>
    public static Command Create()
    {
        var clips = new Argument<string[]>("clips") { Description = "Videos to play live and predict (not a test split you tune on)", Arity = ArgumentArity.OneOrMore };
        var lookaheads = new Option<string>("--lookahead") { Description = "Look-aheads to compare, seconds, comma-separated", DefaultValueFactory = _ => "0,0.25,0.5,1,2,4" };
        var splits = new Option<bool>("--splits") { Description = "Also run the voting-first and sound-first splits of each look-ahead, beside the default" };
        var model = new Option<FileInfo?>("--model") { Description = "Checkpoint (default: the model shipped with AffectFuse)" };
        var json = new Option<bool>("--json") { Description = "Print the rows as JSON on stdout instead of a table" };
        var command = new Command("live-agreement", "Play each clip as a live source (as fast as it is processed, no frame dropped) at each look-ahead " +
            "and compare with predict on the same clip: share of frames with the same label, mean probability difference");
        command.Arguments.Add(clips);
        foreach (var o in new Option[] { lookaheads, splits, model, json })
            command.Options.Add(o);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var seconds = ParseLookaheads(parse.GetValue(lookaheads)!);
            var paths = parse.GetRequiredValue(clips).Select(Path.GetFullPath).ToList();
            foreach (string p in paths)
                InputFile.RequireContent(p, "video file");
            using var recognizer = Recognizer.Load(parse.GetValue(model)?.FullName);
            var rows = LiveAgreementBenchmark.Run(recognizer, paths, seconds, parse.GetValue(splits),
                m => ReportOutput.Progress(m + "…"));
            return ReportOutput.Show(rows, parse.GetValue(json), Print);
        }));
        return command;
    }

    private static double[] ParseLookaheads(string text)
    {
        var values = ListArgument.Numbers(text, "--lookahead");
        if (values.Length == 0)
            throw new AffectFuseException("--lookahead", "name at least one look-ahead");
        foreach (double v in values)
            if (!(v is >= 0 and <= 60))
                throw new AffectFuseException("--lookahead", $"must be between 0 and 60 s, got {v.ToString(CultureInfo.InvariantCulture)}");
        return values;
    }

    private static void Print(IReadOnlyList<LiveAgreementRow> rows)
    {
        var table = new Table().AddColumns("look-ahead", "split", "voting waits", "audio horizon", "frames", "same label as predict", "mean |Δp|");
        foreach (var r in rows)
            table.AddRow($"{r.LookaheadSeconds:0.##} s", r.Split, $"{r.PredictorFrames} frames", $"{r.AudioHorizonSeconds:0.00} s", r.Frames.ToString(),
                $"{r.Agreement:P1}", $"{r.MeanAbsoluteDifference:0.0000}");
        AnsiConsole.Write(table);
    }
}
