using System.CommandLine;
using AffectFuse.Benchmarks;
using AffectFuse.Workflows;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse bench live CLIP</c>: glass-to-label latency, drops and CPU per frame of a clip streamed over loopback.</summary>
public static class BenchLiveCommand
{
    /// <summary>Builds the <c>live</c> subcommand (attach it under <c>bench</c>).</summary>
    public static Command Create()
    {
        var clip = new Argument<string>("clip") { Description = "A video with sound to stream (e.g. bench/videos/test/test_000.mp4 from 'bench compose')" };
        var seconds = new Option<double>("--seconds") { Description = "Seconds of the clip to stream", DefaultValueFactory = _ => 30 };
        var lookahead = new Option<double>("--lookahead") { Description = "Look-ahead of the live session, seconds", DefaultValueFactory = _ => 0.5 };
        var model = new Option<FileInfo?>("--model") { Description = "Checkpoint (default: the model shipped with AffectFuse)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON on stdout instead of a table" };
        var command = new Command("live", "Stream a clip over loopback UDP at real time (640×480, 25 fps, FFmpeg publishes it) into a live session: " +
            "glass-to-label latency (median, p95), frames dropped, CPU per frame, beside the target (p95 ≤ look-ahead + 0.5 s, no drops)");
        command.Arguments.Add(clip);
        foreach (var o in new Option[] { seconds, lookahead, model, json })
            command.Options.Add(o);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            AffectFuse.OptionCheck.Range("--seconds", parse.GetValue(seconds), 1, 3600);
            using var recognizer = Recognizer.Load(parse.GetValue(model)?.FullName);
            var report = LiveBenchmark.Run(recognizer, Path.GetFullPath(parse.GetRequiredValue(clip)), parse.GetValue(seconds), parse.GetValue(lookahead),
                log: m => ReportOutput.Progress(m + "…"));
            return ReportOutput.Show(report, parse.GetValue(json), Print);
        }));
        return command;
    }

    private static void Print(LiveBenchmarkReport r)
    {
        double target = r.LookaheadSeconds + 0.5;
        var table = new Table().AddColumns("measure", "value", "target");
        table.AddRow("stream", $"{r.Width}×{r.Height}, {r.Fps:0.#} fps, look-ahead {r.LookaheadSeconds:0.##} s", "");
        table.AddRow("frames labelled", $"{r.Frames} ({r.Timed} while the stream was sent: the latency rows cover these)", "");
        table.AddRow("frames dropped", r.Dropped.ToString(), r.Dropped == 0 ? "0 (met)" : "0 ([red]not met[/])");
        table.AddRow("glass-to-label latency, median", $"{r.MedianLatencySeconds:0.000} s", "");
        table.AddRow("glass-to-label latency, p95", $"{r.P95LatencySeconds:0.000} s", $"≤ {target:0.00} s ({(r.P95LatencySeconds <= target ? "met" : "[red]not met[/]")})");
        table.AddRow("arrival-to-label latency, median", $"{r.MedianArrivalLatencySeconds:0.000} s", "");
        table.AddRow("CPU per frame (this process)", $"{r.CpuMillisecondsPerFrame:0.0} ms", $"{1000 / r.Fps:0} ms available");
        table.AddRow("load average at the end", $"{r.LoadAverage:0.00}", "");
        AnsiConsole.Write(table);
    }
}
