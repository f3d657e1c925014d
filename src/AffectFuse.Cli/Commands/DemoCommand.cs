using AffectFuse.IO;
using System.CommandLine;
using AffectFuse.Cli.Demo;
using AffectFuse.Inference;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse demo</c>: builds a short clip from material the set-up installed and runs <c>predict</c> on it.</summary>
public static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder [out/demo]" };
        var model = new Option<FileInfo?>("--model") { Description = "Checkpoint (default: the model shipped with AffectFuse)" };
        var photo = new Option<FileInfo?>("--photo") { Description = "Face photo for the clip (default: the astronaut portrait of python3-skimage)" };
        var extraction = new ExtractionArguments();
        var command = new Command("demo", "Make a 12-second clip (a public-domain portrait that moves, is covered for 2 s and leaves the frame, with " +
            "espeak-ng speech and pauses), predict every frame, and print the expression segments next to what the clip contains.");
        command.Options.Add(output);
        command.Options.Add(model);
        command.Options.Add(photo);
        extraction.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string outDir = OutputLocation.Folder(parse.GetValue(output)?.FullName ?? Path.Combine("out", "demo"));
            string? face = parse.GetValue(photo)?.FullName;
            AnsiConsole.MarkupLine(face is null
                ? "[bold]making the demo clip[/] (astronaut portrait from python3-skimage, speech from espeak-ng)…"
                : $"[bold]making the demo clip[/] ({Markup.Escape(Path.GetFileName(face))}, speech from espeak-ng)…");
            var clip = DemoClip.Create(Path.Combine(outDir, "demo.mp4"), face);
            var outputs = PredictCommand.Run(clip.Path, parse.GetValue(model)?.FullName, outDir, extraction.Resolve(parse), Path.Combine(outDir, "demo.html"));
            PredictCommand.Print(outputs);
            Compare(clip, outputs.Prediction);
            return 0;
        }));
        return command;
    }

    // What the clip holds beside what AffectFuse saw: the face mask should drop in the covered / off-frame spans and the
    // speech probability should follow the sentences.
    private static void Compare(DemoClipInfo clip, VideoPrediction p)
    {
        double FaceShare(double a, double b) => Share(p, a, b, t => p.FacePresent[t] ? 1 : 0);
        double Speech(double a, double b) => p.SpeechProbabilities is { } s ? Share(p, a, b, t => s[t]) : double.NaN;
        var table = new Table().AddColumns("span of the clip", "seconds", "face found", "mean speech probability");
        void Row(string name, double a, double b) =>
            table.AddRow(name, $"{a:0.0}–{b:0.0}", FaceShare(a, b).ToString("P0"), Speech(a, b).ToString("F2"));
        Row("face visible, speaking", clip.Speech[0].Start, clip.Speech[0].End);
        Row("face covered by a box", clip.FaceCovered.Start, clip.FaceCovered.End);
        Row("face off frame", clip.FaceOffFrame.Start, clip.FaceOffFrame.End);
        Row("pause between sentences", clip.Speech[0].End + 0.3, clip.Speech[1].Start - 0.3);
        AnsiConsole.Write(table);
    }

    private static double Share(VideoPrediction p, double from, double to, Func<int, double> value)
    {
        double sum = 0;
        int n = 0;
        for (int t = 0; t < p.FrameCount; t++)
        {
            if (p.Timestamps[t] < from || p.Timestamps[t] >= to) continue;
            sum += value(t);
            n++;
        }
        return n == 0 ? double.NaN : sum / n;
    }
}
