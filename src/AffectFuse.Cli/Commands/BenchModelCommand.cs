using System.CommandLine;
using AffectFuse.Benchmarks;
using AffectFuse.Model;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse bench model</c>: throughput, achieved GFLOP/s and peak memory of the temporal model against TorchSharp's
/// stock Transformer layers and this machine's matmul rate. <see cref="Create"/> returns the <c>model</c> subcommand of <c>bench</c>.</summary>
public static class BenchModelCommand
{
    /// <summary>Builds the <c>model</c> subcommand (attach it under <c>bench</c>).</summary>
    public static Command Create()
    {
        var window = new Option<int>("--window") { Description = "Frames per window.", DefaultValueFactory = _ => 128 };
        var batch = new Option<int>("--batch") { Description = "Windows per batch.", DefaultValueFactory = _ => 16 };
        var seconds = new Option<double>("--seconds") { Description = "Timed seconds per measurement (after warm-up; 4 measurements).", DefaultValueFactory = _ => 6.0 };
        var repeats = new Option<int>("--repeats") { Description = "Timed repeats per measurement; the median is reported.", DefaultValueFactory = _ => 5 };
        var visualDim = new Option<int>("--visual-dim") { Description = "Visual feature width.", DefaultValueFactory = _ => ModelBenchmarkSettings.DefaultVisualDim };
        var audioDim = new Option<int>("--audio-dim") { Description = "Audio feature width.", DefaultValueFactory = _ => ModelBenchmarkSettings.DefaultAudioDim };
        var command = new Command("model", "Benchmark the temporal model: training/inference frames/s, GFLOP/s, peak memory, vs stock layers.")
        {
            window, batch, seconds, repeats, visualDim, audioDim,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var settings = new ModelBenchmarkSettings
            {
                Window = parse.GetValue(window),
                Batch = parse.GetValue(batch),
                Seconds = parse.GetValue(seconds),
                Repeats = parse.GetValue(repeats),
                Model = new ModelOptions { VisualDim = parse.GetValue(visualDim), AudioDim = parse.GetValue(audioDim) },
            };
            if (settings.Window <= 0 || settings.Batch <= 0 || settings.Seconds <= 0 || settings.Repeats <= 0)
                throw new AffectFuseException(null, "--window, --batch, --seconds and --repeats must be positive");
            var report = ModelBenchmark.Run(settings, line => AnsiConsole.MarkupLine($"[grey]measuring {Markup.Escape(line)}…[/]"));
            Print(report);
            return 0;
        }));
        return command;
    }

    private static void Print(ModelBenchmarkReport report)
    {
        var o = report.Model;
        AnsiConsole.MarkupLine($"model: width {o.Width}, {o.Heads} heads, {o.SelfLayers} self + {o.CrossLayers} cross layers, feed-forward {o.FeedForward}, " +
            $"Dv {o.VisualDim}, Da {o.AudioDim}; window {report.Settings.Window} × batch {report.Settings.Batch}; torch threads {report.Threads}");
        var table = new Table().AddColumns("model", "phase", "frames/s (median)", "range", "GFLOP/frame", "GFLOP/s", "% of matmul", "peak RSS MiB (Δ phase)");
        foreach (var r in report.Rows)
        {
            string rss = r.PeakRssBytes < 0 ? "n/a" : $"{r.PeakRssBytes / 1048576.0:F0} (+{r.PeakRssDeltaBytes / 1048576.0:F0})";
            table.AddRow(Markup.Escape(r.Model), r.Phase, $"{r.FramesPerSecond:N0}", $"{r.FramesPerSecondRange.Min:N0}–{r.FramesPerSecondRange.Max:N0}",
                $"{r.GflopPerFrame * 1000:F3}e-3", $"{r.AchievedGflops:F1}", $"{100 * r.AchievedGflops / report.MatmulGflops:F0} %", rss);
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"matmul (2048² torch.mm, median): [bold]{report.MatmulGflops:F1} GFLOP/s[/]");
        AnsiConsole.MarkupLine(Verdict("training throughput per FLOP vs stock", report.PerFlopRatio("training"), 0.8, "×"));
        AnsiConsole.MarkupLine(Verdict("inference throughput per FLOP vs stock", report.PerFlopRatio("inference"), 0.8, "×"));
        AnsiConsole.MarkupLine(Verdict("training GFLOP/s as a fraction of matmul", report.TrainingMatmulFraction, 0.35, ""));
        AnsiConsole.MarkupLine("[grey]FLOPs are analytic (matmuls only: projections, attention, feed-forward, gate, heads); training = 3 × forward. " +
            $"The stock stack is {report.StockDepth} post-LN nn.TransformerEncoderLayer over the concatenated features.[/]");
    }

    private static string Verdict(string what, double value, double target, string unit)
    {
        string shown = unit == "×" ? $"{value:F2}×" : $"{100 * value:F0} %";
        string goal = unit == "×" ? $"{target:F2}×" : $"{100 * target:F0} %";
        string colour = value >= target ? "green" : "red";
        return $"{what}: [{colour}]{shown}[/] (target ≥ {goal})";
    }
}
