using System.CommandLine;
using System.Globalization;
using AffectFuse.Benchmarks;
using AffectFuse.Setup;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse bench nets</c>: what each perception model costs on one thread, per face and per video frame.</summary>
public static class BenchNetsCommand
{
    /// <summary>Builds the <c>nets</c> subcommand (attach it under <c>bench</c>).</summary>
    public static Command Create()
    {
        var batch = new Option<int>("--batch") { Description = "Face crops per forward pass (as extraction batches them)", DefaultValueFactory = _ => 32 };
        var repeats = new Option<int>("--repeats") { Description = "Timed repeats per model; the median is reported", DefaultValueFactory = _ => 7 };
        var fps = new Option<double>("--fps") { Description = "Video frame rate for the per-frame column", DefaultValueFactory = _ => 25 };
        var models = new Option<string?>("--models") { Description = "Models folder (default: $AFFECTFUSE_MODELS, else the checkout's models/, else ~/.cache/affectfuse/models)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON on stdout instead of a table" };
        var command = new Command("nets", "Cost of each perception model alone on one thread: ms per face (face nets) or per second of audio, and per video frame")
        {
            batch, repeats, fps, models, json,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var store = ModelStore.Open(parse.GetValue(models));
            var report = PerceptionCostBenchmark.Run(store, parse.GetValue(batch), parse.GetValue(repeats), parse.GetValue(fps),
                name => ReportOutput.Progress($"measuring {name}…"));
            return ReportOutput.Show(report, parse.GetValue(json), Print);
        }));
        return command;
    }

    private static void Print(PerceptionCostReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        var table = new Table().AddColumns("model", "per", "median ms", "fastest ms", $"ms per frame at {report.Fps.ToString("0.##", inv)} fps");
        foreach (var r in report.Rows)
            table.AddRow(Markup.Escape(r.Model), r.Unit, r.MedianMs.ToString("F2", inv), r.FastestMs.ToString("F2", inv), r.MsPerFrame.ToString("F2", inv));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"one torch / ONNX thread; face nets in batches of {report.Batch}; median of {report.Repeats}; " +
            $"load average {report.LoadBefore.ToString("F2", inv)} before, {report.LoadAfter.ToString("F2", inv)} after (2 cores: above ~0.5 means the machine was not quiet)");
        AnsiConsole.MarkupLine($"the mini-Xception rows and the face-api expression rows (TorchSharp, ONNX Runtime) are timed side by side, pair by pair, " +
            $"alternating repeat by repeat, at least {PerceptionCostBenchmark.MinFacesPerRepeat} faces a repeat: compare each pair with itself, not with the other rows' load");
    }
}
