using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AffectFuse.Benchmarks.Vad;
using AffectFuse.IO;
using AffectFuse.Setup;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse bench vad</c>: does Silero VAD hear the speech in every RAVDESS and EmoDB recording, and none
/// in silence and noise?</summary>
public static class BenchVadCommand
{
    /// <summary>Builds the <c>vad</c> subcommand (attach it under <c>bench</c>).</summary>
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Data folder with ravdess_speech/ (labels.csv) and emodb/wav/ [../shared/data]", DefaultValueFactory = _ => new DirectoryInfo("../shared/data") };
        var threads = new Option<int>("--threads") { Description = "Recordings decoded and scored at once", DefaultValueFactory = _ => 2 };
        var models = new Option<string?>("--models") { Description = "Models folder (default: $AFFECTFUSE_MODELS, else the checkout's models/, else ~/.cache/affectfuse/models)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON on stdout instead of tables" };
        var command = new Command("vad", "Silero VAD as the prosody features run it, on every RAVDESS and EmoDB recording (all hold speech): " +
            "how many it hears no speech in (max probability < 0.5, per 32-ms chunk and per 30 fps frame's VAD column), the distribution of the max and of the share of 32-ms chunks ≥ 0.5, " +
            "by emotion and intensity; and its false speech on silence and white and pink noise")
        {
            data, threads, models, json,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var store = ModelStore.Open(parse.GetValue(models));
            var report = VadBenchmark.Run(store, parse.GetValue(data)!.FullName, parse.GetValue(threads),
                m => CommandRunner.Error().MarkupLine($"[grey]{Markup.Escape(m)}…[/]"));
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(report, OptionsJson.Settings));
            else
                Print(report);
            return 0;
        }));
        return command;
    }

    private static void Print(VadBenchmarkReport report)
    {
        foreach (var corpus in report.Corpora)
        {
            var table = new Table().Title(corpus.Corpus).AddColumns("group", "recordings", "max < 0.5", "frames: max < 0.5", "max: median", "max: 5th pct", "chunks ≥ 0.5: median", "5th pct");
            foreach (var g in new[] { corpus.All }.Concat(corpus.ByEmotion).Concat(corpus.ByIntensity).Concat(corpus.ByEmotionAndIntensity))
                table.AddRow(Markup.Escape(g.Name), g.Utterances.ToString(), g.Missed.ToString(), g.FrameMissed.ToString(), F(g.MedianMax), F(g.P5Max), F(g.MedianSpeechFraction), F(g.P5SpeechFraction));
            AnsiConsole.Write(table);
            foreach (var m in corpus.Misses)
                AnsiConsole.MarkupLine(Markup.Escape($"  missed {Path.GetFileName(m.Utterance.Path)} ({m.Utterance.Emotion} {m.Utterance.Intensity}): max {F(m.MaxProbability)}, frames' max {F(m.MaxFrameProbability)}, " +
                    $"peak {F(m.Peak)}, RMS {m.RmsDbfs.ToString("F1", CultureInfo.InvariantCulture)} dBFS, {m.ClippedSamples} clipped samples"));
        }
        var noise = new Table().Title("no speech: silence and noise").AddColumns("signal", "RMS dBFS", "chunks", "max", "chunks ≥ 0.5");
        foreach (var r in report.Noise)
            noise.AddRow(r.Signal, double.IsFinite(r.RmsDbfs) ? r.RmsDbfs.ToString("F0", CultureInfo.InvariantCulture) : "−∞", r.Chunks.ToString(), F(r.MaxProbability), F(r.SpeechFraction));
        AnsiConsole.Write(noise);
    }

    private static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
}
