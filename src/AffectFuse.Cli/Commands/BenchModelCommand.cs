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
        var attentionDropout = new Option<double>("--attention-dropout") { Description = "Dropout on attention weights (the stock layer always uses --dropout there).", DefaultValueFactory = _ => new ModelOptions().AttentionDropout };
        var threads = new Option<int>("--threads") { Description = "Torch intra-op threads (0 = library default).", DefaultValueFactory = _ => 0 };
        var command = new Command("model", "Benchmark the temporal model: training/inference frames/s, GFLOP/s, peak memory, vs stock layers.")
        {
            window, batch, seconds, repeats, visualDim, audioDim, attentionDropout, threads,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var settings = new ModelBenchmarkSettings
            {
                Window = parse.GetValue(window),
                Batch = parse.GetValue(batch),
                Seconds = parse.GetValue(seconds),
                Repeats = parse.GetValue(repeats),
                Model = new ModelOptions { VisualDim = parse.GetValue(visualDim), AudioDim = parse.GetValue(audioDim), AttentionDropout = parse.GetValue(attentionDropout) },
            };
            if (settings.Window <= 0 || settings.Batch <= 0 || settings.Seconds <= 0 || settings.Repeats <= 0)
                throw new AffectFuseException(null, "--window, --batch, --seconds and --repeats must be positive");
            if (parse.GetValue(threads) is > 0 and var n)
                TorchSharp.torch.set_num_threads(n);
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
        // Redirected output defaults to 80 columns, too narrow for the table.
        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 120);
        var table = new Table().AddColumns("model", "phase", "frames/s (median step)", "slowest–fastest", "MFLOP/frame", "GFLOP/s", "of matmul", "peak RSS MiB (+Δ)");
        foreach (var r in report.Rows)
        {
            string name = r.Model.StartsWith("AffectFuse") ? "AffectFuse" : $"stock ×{report.StockDepth}";
            string rss = r.PeakRssBytes < 0 ? "n/a" : $"{r.PeakRssBytes / 1048576.0:F0} ({r.PeakRssDeltaBytes / 1048576.0:+0;-0;+0})";
            table.AddRow(name, r.Phase, $"{r.FramesPerSecond:N0}", $"{r.FramesPerSecondRange.Min:N0}–{r.FramesPerSecondRange.Max:N0}",
                $"{r.GflopPerFrame * 1000:F2}", $"{r.AchievedGflops:F1}", $"{100 * r.AchievedGflops / report.MatmulGflops:F0} %", rss);
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"matmul (2048² torch.mm): median [bold]{report.MatmulGflops:F1} GFLOP/s[/], best {report.MatmulBestGflops:F1}; " +
            $"load average {report.LoadAverage.Before:F1} → {report.LoadAverage.After:F1} on {Environment.ProcessorCount} cores");
        AnsiConsole.MarkupLine(Verdict("training throughput per FLOP vs stock", report.PerFlopRatio("training"), report.BestPerFlopRatio("training"), 0.8, "×"));
        AnsiConsole.MarkupLine(Verdict("inference throughput per FLOP vs stock", report.PerFlopRatio("inference"), report.BestPerFlopRatio("inference"), 0.8, "×"));
        AnsiConsole.MarkupLine(Verdict("training GFLOP/s as a fraction of matmul", report.TrainingMatmulFraction, report.BestTrainingMatmulFraction, 0.35, ""));
        AnsiConsole.MarkupLine("[grey]FLOPs are analytic (matmuls only: projections, attention, feed-forward, gate, heads); training = 3 × forward. " +
            $"stock ×{report.StockDepth} = that many TorchSharp nn.TransformerEncoderLayer (post-LN, ReLU, attention dropout {report.Model.Dropout}) " +
            $"over the concatenated features; ours uses attention dropout {report.Model.AttentionDropout}. Contenders run in interleaved rounds; every step is timed.[/]");
    }

    private static string Verdict(string what, double median, double best, double target, string unit)
    {
        string Show(double x) => unit == "×" ? $"{x:F2}×" : $"{100 * x:F0} %";
        string colour = median >= target ? "green" : "red";
        return $"{what}: [{colour}]{Show(median)}[/] median, {Show(best)} best steps (target ≥ {Show(target)})";
    }
}
