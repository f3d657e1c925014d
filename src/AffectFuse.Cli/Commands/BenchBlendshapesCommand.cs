using System.CommandLine;
using System.Globalization;
using AffectFuse.Benchmarks;
using AffectFuse.Benchmarks.Compose;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse bench blendshapes</c>: MediaPipe's blendshape scores per label on the labelled face photographs,
/// and what the chain costs per face.</summary>
public static class BenchBlendshapesCommand
{
    /// <summary>Builds the <c>blendshapes</c> subcommand (attach it under <c>bench</c>).</summary>
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Data folder with faces/ (labels.csv, images/) [../shared/data]", DefaultValueFactory = _ => new DirectoryInfo("../shared/data") };
        var split = new Option<string>("--split") { Description = "Photographs of this split only: train, val, test or all [all]", DefaultValueFactory = _ => "all" };
        var json = new Option<bool>("--json") { Description = "Print the report (all 52 means per label) as JSON on stdout instead of a table" };
        var command = new Command("blendshapes", "Sanity check of MediaPipe's blendshape scores: each labelled photograph's face through the chain, mean scores per label, ms per face")
        {
            data, split, json,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            ComposeSplit? only = parse.GetValue(split)!.ToLowerInvariant() switch
            {
                "all" => null,
                "train" => ComposeSplit.Train,
                "val" or "validation" => ComposeSplit.Validation,
                "test" => ComposeSplit.Test,
                var other => throw new AffectFuseException("--split", $"expected train, val, test or all, got '{other}'"),
            };
            var report = BlendshapeSanityBenchmark.Run(parse.GetValue(data)!.FullName, only, (done, total) =>
            {
                if (done % 250 == 0 || done == total)
                    ReportOutput.Progress($"{done}/{total} photographs");
            });
            return ReportOutput.Show(report, parse.GetValue(json), Print);
        }));
        return command;
    }

    private static void Print(BlendshapeSanityReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        var table = new Table().AddColumns(["label", "photos", "faces", .. BlendshapeSanityBenchmark.Shown]);
        foreach (var c in report.Classes)
            table.AddRow([c.Emotion, c.Photos.ToString(inv), c.Faces.ToString(inv), .. BlendshapeSanityBenchmark.Shown.Select(n => c.Means[n].ToString("F3", inv))]);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"mean score over each label's faces; the chain (crops, mesh, both irises, blendshapes) took {report.MedianMsPerFace.ToString("F1", inv)} ms " +
            $"per face (median; fastest {report.FastestMsPerFace.ToString("F1", inv)}) on one thread; {report.Unreadable} unreadable photographs");
    }
}
