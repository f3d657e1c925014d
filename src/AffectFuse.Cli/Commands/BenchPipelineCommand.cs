using AffectFuse.Inference;
using AffectFuse.Model;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AffectFuse.Benchmarks;
using AffectFuse.Features;
using Spectre.Console;
using AffectFuse.Training;
using AffectFuse.Workflows;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse bench pipeline &lt;video&gt;</c>: decode-only, extract and extract + model throughput on one file,
/// CPU time per frame, and peak memory on 1- and 10-minute loops of it. <see cref="Create"/> returns the <c>pipeline</c>
/// subcommand of <c>bench</c>. Each measurement runs in a child process (this program again, with the hidden
/// <c>--child</c> option) so each peak resident set is that measurement's own.</summary>
public static class BenchPipelineCommand
{
    private const string ResultPrefix = "AFFECTFUSE-MEASUREMENT ";
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Builds the <c>pipeline</c> subcommand (attach it under <c>bench</c>).</summary>
    public static Command Create()
    {
        var d = new ExtractionOptions();
        var video = new Argument<string>("video") { Description = "Video to measure (ideally with a face and speech)" };
        var model = new Option<string?>("--model") { Description = "Checkpoint for the model stage (default: a randomly initialised model of the default architecture; speed does not depend on weights)" };
        var shared = new ExtractionArguments(featureSets: true);
        var cnnThreads = new Option<int>("--cnn-threads") { Description = "Torch threads of the CNN stage", DefaultValueFactory = _ => d.BackboneThreads };
        var decoderThreads = new Option<int>("--decoder-threads") { Description = "FFmpeg decoder threads in the extract path (0 = one per core)", DefaultValueFactory = _ => d.DecoderThreads };
        var shortSeconds = new Option<double>("--short-seconds") { Description = "Length of the short loop for the memory comparison", DefaultValueFactory = _ => 60 };
        var longSeconds = new Option<double>("--long-seconds") { Description = "Length of the long loop for the memory comparison", DefaultValueFactory = _ => 600 };
        var noScaling = new Option<bool>("--no-memory-scaling") { Description = "Skip the looped-video memory comparison" };
        var people = new Option<bool>("--people") { Description = "Also measure every face followed (--face all): on the clip itself, and on a two-person clip made from it (the clip beside its mirror image)" };
        var child = new Option<PipelineStage?>("--child") { Description = "(internal) take one measurement in this process and print it", Hidden = true };

        var command = new Command("pipeline", "Benchmark the video → features → labels path against plain decoding: frames/s, real-time factor, CPU per frame, peak memory; then where the whole path's CPU goes, step by step (decode, detect, track, align, each face net, each audio step, the model, child processes, the rest) and which thread bounds its wall time");
        command.Arguments.Add(video);
        foreach (var option in new Option[] { model, cnnThreads, decoderThreads, shortSeconds, longSeconds, noScaling, people, child })
            command.Options.Add(option);
        shared.AddTo(command);

        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string path = Path.GetFullPath(parse.GetRequiredValue(video));
            if (!File.Exists(path))
                throw new AffectFuseException(path, "video file not found");
            var extraction = shared.Resolve(parse) with
            {
                BackboneThreads = parse.GetValue(cnnThreads),
                DecoderThreads = parse.GetValue(decoderThreads),
            };
            if (parse.GetValue(child) is PipelineStage stage)
            {
                var m = PipelineBenchmark.Measure(stage, path, parse.GetValue(model), extraction);
                Console.Out.WriteLine(ResultPrefix + JsonSerializer.Serialize(m, Json));
                return 0;
            }

            // With a model, every stage extracts the feature set the model reads, so that the stages compare.
            if (parse.GetValue(model) is string modelPath)
            {
                var checkpoint = Checkpoint.Load(modelPath);
                checkpoint.Model.Dispose();
                extraction = Recognizer.ExtractionFor(checkpoint.Model.Options, extraction, modelPath);
            }

            // The child gets the same extraction options, spelled as on this command line.
            var passOn = new List<string>
            {
                "--face", extraction.Face.ToString(),
                "--detect-every", extraction.DetectEvery.ToString(CultureInfo.InvariantCulture),
                "--detector", extraction.Detector.ToString().ToLowerInvariant(),
                "--batch-size", extraction.BackboneBatchSize.ToString(CultureInfo.InvariantCulture),
                "--cnn-threads", extraction.BackboneThreads.ToString(CultureInfo.InvariantCulture),
                "--decoder-threads", extraction.DecoderThreads.ToString(CultureInfo.InvariantCulture),
                "--face-every", extraction.FaceNetEvery.ToString(CultureInfo.InvariantCulture),
                "--visual", VisualFeatureLayout.ToOption(extraction.Visual),
                "--audio", AudioFeatureSets.ToOption(extraction.Audio),
            };
            if (extraction.ModelsRoot is not null)
                passOn.AddRange(["--models", extraction.ModelsRoot]);
            if (extraction.MaxFrameSize is int maxSize)
                passOn.AddRange(["--max-size", maxSize.ToString(CultureInfo.InvariantCulture)]);
            var settings = new PipelineBenchmarkSettings
            {
                Video = path,
                ModelPath = parse.GetValue(model) is string ckpt ? Path.GetFullPath(ckpt) : null,
                Extraction = extraction,
                ShortSeconds = parse.GetValue(shortSeconds),
                LongSeconds = parse.GetValue(longSeconds),
                SkipMemoryScaling = parse.GetValue(noScaling),
                People = parse.GetValue(people),
            };
            var report = PipelineBenchmark.Run(settings, (s, v, ckpt, face) => RunChild(s, v, ckpt, WithFace(passOn, face)),
                what => AnsiConsole.MarkupLine($"[grey]measuring {Markup.Escape(what)}…[/]"));
            Print(report);
            PrintProfile(report.ExtractAndModel, "extract + model");
            if (report.TwoPersons is { } two)
                PrintProfile(two, "extract + model, two persons, --face all");
            return 0;
        }));
        return command;
    }

    // The child's options with another face selection (the one-face and every-face runs differ in that alone).
    private static List<string> WithFace(List<string> passOn, Faces.FaceSelection? face)
    {
        if (face is null)
            return passOn;
        var copy = new List<string>(passOn);
        copy[copy.IndexOf("--face") + 1] = face.Value.ToString();
        return copy;
    }

    private static PipelineMeasurement RunChild(PipelineStage stage, string video, string modelPath, List<string> passOn)
    {
        string[] self = SelfCommand.Prefix();
        string host = self[0];
        var psi = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in self.Skip(1))
            psi.ArgumentList.Add(a);
        foreach (string a in new[] { "bench", "pipeline", video, "--child", stage.ToString(), "--model", modelPath })
            psi.ArgumentList.Add(a);
        foreach (string a in passOn)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new AffectFuseException(null, $"could not start {host}");
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        string? line = stdout.Split('\n').LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (p.ExitCode != 0 || line is null)
            throw new AffectFuseException(video, $"{stage} measurement failed (exit {p.ExitCode}): {stderr.Result.Trim()}");
        return JsonSerializer.Deserialize<PipelineMeasurement>(line[ResultPrefix.Length..], Json)!;
    }

    private static void Print(PipelineBenchmarkReport r)
    {
        var info = r.Info;
        var o = r.Settings.Extraction;
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(Path.GetFileName(info.Path))}[/]: {info.Width}×{info.Height}, {info.NominalFps:0.##} fps; " +
            $"detector {o.Detector.ToString().ToLowerInvariant()} every {o.DetectEvery} frames, face nets every {o.FaceNetEvery}, " +
            $"visual {VisualFeatureLayout.ToOption(o.Visual)}, audio {AudioFeatureSets.ToOption(o.Audio)}, CNN batch {o.BackboneBatchSize}, CNN threads {o.BackboneThreads}, " +
            $"decoder threads {o.DecoderThreads} (decode only: FFmpeg's own choice, one per core); {Environment.ProcessorCount} cores; load average {r.LoadAverage.Before:0.00} before, {r.LoadAverage.After:0.00} after");
        var table = new Table().AddColumns("measurement", "frames", "frames/s", "real-time ×", "CPU ms/frame", "CPU-bound frames/s", "peak RSS MiB", "busy s: decode / detect+track+align / CNN / audio / model");
        foreach (var (name, m) in new[] { ("decode only", r.Decode), ("extract", r.Extract), ("extract + model", r.ExtractAndModel) }
                     .Concat(r.EveryFace is null ? [] : new[] { ("extract + model, --face all", r.EveryFace), ("extract + model, two persons (beside its mirror), --face all", r.TwoPersons!) })
                     .Concat(r.Short is null ? [] : new[] { ($"extract + model, {r.Settings.ShortSeconds:0} s loop", r.Short), ($"extract + model, {r.Settings.LongSeconds:0} s loop", r.Long!) }))
        {
            string busy = m.Statistics is { } s
                ? $"{s.DecoderBusySeconds:0.0} / {s.DecodeStageBusySeconds:0.0} / {s.BackboneStageBusySeconds:0.0} / {s.AudioStageBusySeconds:0.0}"
                : "";
            if (m.ModelSeconds is double model)
                busy += $" / {model:0.00}";
            table.AddRow(Markup.Escape(name), m.Frames.ToString(CultureInfo.InvariantCulture), $"{m.FramesPerSecond:0}", $"{m.RealTimeFactor:0.0}",
                $"{m.CpuMillisecondsPerFrame:0.00}", $"{m.CpuBoundFramesPerSecond(Environment.ProcessorCount):0}",
                m.PeakRssBytes > 0 ? $"{m.PeakRssBytes / 1048576.0:0}" : "n/a", busy);
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]CPU-bound frames/s = cores × 1000 / CPU ms per frame: the ceiling on otherwise idle cores; wall figures drop when other work shares the machine.[/]");
        AnsiConsole.MarkupLine(Verdict("whole path real-time factor", r.ExtractAndModel.RealTimeFactor, 10, "×", higherIsBetter: true));
        AnsiConsole.MarkupLine(Verdict("whole path speed / decode-only speed", r.FractionOfDecode, 0.5, "", higherIsBetter: true));
        if (r.EveryFaceCost is double cost)
            AnsiConsole.MarkupLine(Verdict("one face: CPU per frame with --face all / the one-face path", cost, 1.05, "", higherIsBetter: false));
        if (r.MemoryRatio is double ratio)
            AnsiConsole.MarkupLine(Verdict($"peak memory {r.Settings.LongSeconds:0} s / {r.Settings.ShortSeconds:0} s", ratio, 1.15, "", higherIsBetter: false));
    }

    // Where the whole path's CPU goes, step by step, and which thread bounds its wall time.
    private static void PrintProfile(PipelineMeasurement m, string what)
    {
        if (m.Stages is not { Count: > 0 } stages)
            return;
        double perFrame = 1000.0 / Math.Max(m.Frames, 1);
        var table = new Table().AddColumns($"step ({what})", "thread", "CPU ms/frame", "share of CPU", "calls");
        void Row(string step, string thread, double seconds, string calls) =>
            table.AddRow(Markup.Escape(step), thread, $"{seconds * perFrame:0.00}", $"{100 * seconds / Math.Max(m.CpuSeconds, 1e-9):0} %", calls);
        foreach (var s in stages)
            Row(s.Stage, s.Thread, s.CpuSeconds, s.Calls.ToString(CultureInfo.InvariantCulture));
        Row("ffprobe + ffmpeg audio decode (child processes)", "children", m.ChildCpuSeconds, "");
        Row("JIT (compiling .NET methods)", "any", m.JitSeconds, "");
        Row("unattributed (GC, hand-offs)", "any", m.UnattributedCpuSeconds ?? 0, "");
        Row("total", "", m.CpuSeconds, "");
        AnsiConsole.Write(table);
        if (m.Statistics is not { } st)
            return;
        var threads = new[] { ("decoder", st.DecoderBusySeconds), ("frames", st.DecodeStageBusySeconds), ("face nets", st.BackboneStageBusySeconds),
            ("audio", st.AudioStageBusySeconds) };
        var (name, busy) = threads.MaxBy(t => t.Item2);
        double cpu = stages.Where(s => s.Thread == name).Sum(s => s.CpuSeconds);
        AnsiConsole.MarkupLine($"critical path: the [bold]{name}[/] thread, busy {busy:0.00} s (its steps' CPU {cpu:0.00} s) of the extraction's " +
            $"{st.WallSeconds:0.00} s wall; busy s: " + string.Join(", ", threads.Select(t => $"{t.Item1} {t.Item2:0.00}")) +
            (m.ModelSeconds is double model ? $", then the model {model:0.00}" : ""));
    }

    private static string Verdict(string what, double value, double target, string unit, bool higherIsBetter)
    {
        bool ok = higherIsBetter ? value >= target : value <= target;
        string cmp = higherIsBetter ? "≥" : "≤";
        return $"{Markup.Escape(what)}: [bold]{value:0.00}{unit}[/] (target {cmp} {target:0.##}{unit}) " + (ok ? "[green]met[/]" : "[red]not met[/]");
    }
}
