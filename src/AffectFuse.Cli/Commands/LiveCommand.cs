using System.CommandLine;
using AffectFuse.Live;
using AffectFuse.Decoding;
using AffectFuse.Workflows;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse live SOURCE</c>: a webcam, a network stream or a file played live, labelled as it plays.</summary>
public static class LiveCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "A V4L2 device (/dev/video0), a stream FFmpeg can open (udp://, rtp:// or an .sdp file, rtsp://, http(s)://, srt://), or a file (with --realtime)" };
        var model = new Option<FileInfo?>("--model") { Description = "Checkpoint from 'affectfuse train' (default: the model shipped with AffectFuse)" };
        var lookahead = new Option<double>("--lookahead") { Description = "Seconds of look-ahead: each frame's label reads the stream (video and sound) up to this far past the frame and waits for it (more = closer to predict's labels, later)", DefaultValueFactory = _ => 0.5 };
        var realtime = new Option<bool>("--realtime") { Description = "Play a file at its own rate, as a live source (tests, demos)" };
        var reconnect = new Option<bool>("--reconnect") { Description = "Connect again to a network source or device that is not up yet, ends, fails or stalls, with back-off (1, 2, 4 … 30 s)" };
        var stall = new Option<double>("--stall-timeout") { Description = "Seconds without a frame before the source counts as stalled", DefaultValueFactory = _ => 10 };
        var fps = new Option<double?>("--fps") { Description = "Resample the stream to this frame rate [the source's]" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "When the stream ends (or on Ctrl-C), also write predict's files here: per-frame CSV, ABAW file, timeline PNG, summary" };
        var serve = new Option<int?>("--serve") { Description = "Serve a page on http://127.0.0.1:PORT that shows the labels as they arrive (0 = any free port)" };
        var extraction = new ExtractionArguments();
        var command = new Command("live", "Label a live source as it plays: JSON lines on stdout (frame, time, label, probabilities, face, speech, latency, and every person with --face all), " +
            "causal soft voting with a look-ahead; drops frames rather than falling behind.");
        command.Arguments.Add(source);
        foreach (var o in new Option[] { model, lookahead, realtime, reconnect, stall, fps, output, serve })
            command.Options.Add(o);
        extraction.AddTo(command);
        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(() =>
        {
            var sourceOptions = new LiveSourceOptions
            {
                Source = parse.GetRequiredValue(source), Realtime = parse.GetValue(realtime), Reconnect = parse.GetValue(reconnect),
                StallSeconds = parse.GetValue(stall), Fps = parse.GetValue(fps), MaxSize = extraction.Resolve(parse).MaxFrameSize ?? 640,
            };
            sourceOptions.Validate();
            string? outDir = parse.GetValue(output) is { } o ? AffectFuse.IO.OutputLocation.Folder(o.FullName) : null;
            using var recognizer = Recognizer.Load(parse.GetValue(model)?.FullName, new RecognizerOptions { Extraction = extraction.Resolve(parse) });
            using var server = parse.GetValue(serve) is { } port ? new LiveServer(port) : null;
            server?.Start();
            if (server is not null)
                Console.Error.WriteLine($"live page: {server.Url}");
            using var stop = new CancellationTokenSource();
            ConsoleCancelEventHandler onCtrlC = (_, e) => { e.Cancel = true; stop.Cancel(); };
            Console.CancelKeyPress += onCtrlC;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, stop.Token);
            var stdout = Console.Out;
            LiveOutcome outcome;
            try
            {
                outcome = LiveSession.Run(recognizer, sourceOptions, parse.GetValue(lookahead), r =>
                {
                    stdout.WriteLine(r.ToJson());
                    stdout.Flush();
                    server?.Publish(r);
                }, linked.Token, notice => Console.Error.WriteLine($"warning: source: {OptionFlags.Render(notice)}"));
            }
            finally
            {
                Console.CancelKeyPress -= onCtrlC;
            }
            Report(outcome);
            if (outDir is not null && outcome.Prediction.FrameCount > 0)
                PredictionFiles(outDir, outcome.Prediction);
            return outcome.EndReason is null || stop.IsCancellationRequested ? 0 : CommandRunner.BadInput;
        })));
        return command;
    }

    // A stall or failure is one line (stderr), after the frames that did arrive were labelled and written.
    private static void Report(LiveOutcome o)
    {
        if (o.EndReason is { } reason)
            Console.Error.WriteLine($"error: source: {reason}");
        CommandRunner.Error().MarkupLine($"[grey]{o.Prediction.FrameCount} frames labelled, {o.Dropped} dropped, {o.Reconnects} reconnects; " +
            $"latency median {o.MedianLatencySeconds:0.000} s, p95 {o.P95LatencySeconds:0.000} s[/]");
    }

    private static void PredictionFiles(string outDir, AffectFuse.Inference.VideoPrediction prediction)
    {
        var files = VideoPredictionWorkflow.WriteFiles(prediction, outDir);
        CommandRunner.Error().MarkupLine($"[grey]written: {Markup.Escape(string.Join(", ", files))}[/]");
    }
}
