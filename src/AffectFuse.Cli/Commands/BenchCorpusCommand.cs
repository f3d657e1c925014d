using System.CommandLine;
using System.Globalization;
using AffectFuse.Benchmarks.Compose;
using AffectFuse.Benchmarks.Corpus;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse bench corpus</c>: builds a training corpus in the Aff-Wild2 layout from every real labelled
/// source (face photographs, EmoDB, RAVDESS): face-only clips, voice-only audio files and audio-visual pairs.</summary>
internal static class BenchCorpusCommand
{
    /// <summary>Builds the command (named <c>corpus</c>; it belongs under <c>bench</c>).</summary>
    public static Command Create()
    {
        var d = new CorpusOptions();
        string Of(double v) => v.ToString(CultureInfo.InvariantCulture);
        var data = new Option<DirectoryInfo>("--data") { Description = "Data folder with faces/, emodb/ and ravdess_speech/ [../shared/data]", DefaultValueFactory = _ => new DirectoryInfo("../shared/data") };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Output folder (videos/<split>/, EXPR_Recognition_Challenge/, corpus.json)", Required = true };
        var seed = new Option<int?>("--seed") { Description = $"Random seed [{d.Seed}]" };
        var width = new Option<int?>("--width") { Description = $"Frame width [{d.Width}]" };
        var height = new Option<int?>("--height") { Description = $"Frame height [{d.Height}]" };
        var faceSeconds = new Option<double?>("--face-seconds") { Description = $"How long each photograph is shown, s [{Of(d.FaceClipSeconds)}]" };
        var perClip = new Option<int?>("--photos-per-clip") { Description = $"Photographs of one class per face-only clip, one after another [{d.PhotosPerClip}]" };
        var minScale = new Option<double?>("--min-face-scale") { Description = $"Smallest photo height as a share of the frame height [{Of(d.MinFaceScale)}]" };
        var maxScale = new Option<double?>("--max-face-scale") { Description = $"Largest photo height as a share of the frame height [{Of(d.MaxFaceScale)}]" };
        var blurShare = new Option<double?>("--blur-share") { Description = $"Share of face clips blurred [{Of(d.BlurShare)}]" };
        var maxBlur = new Option<double?>("--max-blur") { Description = $"Largest blur sigma, pixels [{Of(d.MaxBlurSigma)}]" };
        var maxGamma = new Option<double?>("--max-gamma") { Description = $"Lighting: gamma drawn in [1/g, g] [{Of(d.MaxGamma)}]" };
        var occlusion = new Option<double?>("--occlusion-share") { Description = $"Share of face clips with part of the face covered [{Of(d.OcclusionShare)}]" };
        var minCrf = new Option<int?>("--min-crf") { Description = $"Lowest x264 CRF drawn per clip [{d.MinCrf}]" };
        var maxCrf = new Option<int?>("--max-crf") { Description = $"Highest x264 CRF drawn per clip [{d.MaxCrf}]" };
        var noSound = new Option<double?>("--no-sound-share") { Description = $"Share of face clips without a sound track (the rest: room noise) [{Of(d.NoSoundShare)}]" };
        var avShare = new Option<double?>("--av-share") { Description = $"Share of utterances also rendered over a photograph of the same class [{Of(d.AudioVisualShare)}]" };
        var maxGain = new Option<double?>("--max-gain") { Description = $"Largest level change of a voice, dB either way [{Of(d.MaxGainDb)}]" };
        var noisy = new Option<double?>("--noisy-voice-share") { Description = $"Share of voices degraded (level change, pink noise); the rest as recorded [{Of(d.NoisyVoiceShare)}]" };
        var minSnr = new Option<double?>("--min-snr") { Description = $"Lowest speech-to-noise ratio, dB [{Of(d.MinSnrDb)}]" };
        var maxSnr = new Option<double?>("--max-snr") { Description = $"Highest speech-to-noise ratio, dB [{Of(d.MaxSnrDb)}]" };
        var speedShare = new Option<double?>("--speed-share") { Description = $"Share of training voices played at another speed (pitch, formants and tempo together, as another speaker's), apart from the noise [{Of(d.SpeedShare)}]" };
        var maxSpeed = new Option<double?>("--max-speed-change") { Description = $"Largest speed change of such a voice, fraction either way [{Of(d.MaxSpeedChange)}]" };
        var ravVal = new Option<string?>("--ravdess-validation") { Description = $"RAVDESS actors of the validation split [{string.Join(",", d.RavdessValidationActors)}]" };
        var ravTest = new Option<string?>("--ravdess-test") { Description = $"RAVDESS actors of the test split [{string.Join(",", d.RavdessTestActors)}]" };
        var emoVal = new Option<string?>("--emodb-validation") { Description = $"EmoDB speakers of the validation split [{string.Join(",", d.EmodbValidationSpeakers)}]" };
        var emoTest = new Option<string?>("--emodb-test") { Description = $"EmoDB speakers of the test split [{string.Join(",", d.EmodbTestSpeakers)}]" };

        var command = new Command("corpus", "Build a training corpus in the Aff-Wild2 layout from every real labelled source in --data: a face-only " +
            "clip per photograph (motion, scale, blur, lighting, H.264 compression, partial occlusion; no sound or room noise), a voice-only " +
            "FLAC per EmoDB and RAVDESS utterance (level and noise varied, optionally the speed), and audio-visual clips pairing an utterance with a photograph of the " +
            "same class from another identity. Splits by identity and speaker; the mixture is recorded in corpus.json. Re-running resumes.");
        foreach (var o in new Option[] { data, outDir, seed, width, height, faceSeconds, perClip, minScale, maxScale, blurShare, maxBlur, maxGamma, occlusion,
                     minCrf, maxCrf, noSound, avShare, maxGain, noisy, minSnr, maxSnr, speedShare, maxSpeed, ravVal, ravTest, emoVal, emoTest })
            command.Options.Add(o);

        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(() =>
        {
            var options = new CorpusOptions
            {
                Seed = parse.GetValue(seed) ?? d.Seed,
                Width = parse.GetValue(width) ?? d.Width,
                Height = parse.GetValue(height) ?? d.Height,
                FaceClipSeconds = parse.GetValue(faceSeconds) ?? d.FaceClipSeconds,
                PhotosPerClip = parse.GetValue(perClip) ?? d.PhotosPerClip,
                MinFaceScale = parse.GetValue(minScale) ?? d.MinFaceScale,
                MaxFaceScale = parse.GetValue(maxScale) ?? d.MaxFaceScale,
                BlurShare = parse.GetValue(blurShare) ?? d.BlurShare,
                MaxBlurSigma = parse.GetValue(maxBlur) ?? d.MaxBlurSigma,
                MaxGamma = parse.GetValue(maxGamma) ?? d.MaxGamma,
                OcclusionShare = parse.GetValue(occlusion) ?? d.OcclusionShare,
                MinCrf = parse.GetValue(minCrf) ?? d.MinCrf,
                MaxCrf = parse.GetValue(maxCrf) ?? d.MaxCrf,
                NoSoundShare = parse.GetValue(noSound) ?? d.NoSoundShare,
                AudioVisualShare = parse.GetValue(avShare) ?? d.AudioVisualShare,
                MaxGainDb = parse.GetValue(maxGain) ?? d.MaxGainDb,
                NoisyVoiceShare = parse.GetValue(noisy) ?? d.NoisyVoiceShare,
                MinSnrDb = parse.GetValue(minSnr) ?? d.MinSnrDb,
                MaxSnrDb = parse.GetValue(maxSnr) ?? d.MaxSnrDb,
                SpeedShare = parse.GetValue(speedShare) ?? d.SpeedShare,
                MaxSpeedChange = parse.GetValue(maxSpeed) ?? d.MaxSpeedChange,
                RavdessValidationActors = parse.GetValue(ravVal) is { } rv ? Actors(rv, "--ravdess-validation") : d.RavdessValidationActors,
                RavdessTestActors = parse.GetValue(ravTest) is { } rt ? Actors(rt, "--ravdess-test") : d.RavdessTestActors,
                EmodbValidationSpeakers = parse.GetValue(emoVal) is { } ev ? ListArgument.Names(ev) : d.EmodbValidationSpeakers,
                EmodbTestSpeakers = parse.GetValue(emoTest) is { } et ? ListArgument.Names(et) : d.EmodbTestSpeakers,
            };
            string outPath = parse.GetValue(outDir)!.FullName;
            var builder = new CorpusBuilder(parse.GetValue(data)!.ToString(), outPath, options);
            CorpusManifest manifest = null!;
            ProgressDisplay.Create(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .AutoClear(false)
                .Start(ctx =>
                {
                    var task = ctx.AddTask("building", maxValue: 1);
                    var reporter = new SynchronousProgress<(int Done, int Total, string Clip)>(r =>
                    {
                        task.MaxValue = r.Total;
                        task.Value = r.Done;
                        task.Description = Markup.Escape(r.Clip);
                    });
                    manifest = builder.Run(reporter, cancel);
                    task.Value = task.MaxValue;
                });
            Print(manifest, outPath);
            return 0;
        })));
        return command;
    }

    private static void Print(CorpusManifest manifest, string outPath)
    {
        var splits = Enum.GetValues<ComposeSplit>();
        var table = new Table().Border(TableBorder.Rounded).Title("training corpus (clips)");
        table.AddColumn("kind");
        table.AddColumn("class");
        foreach (var s in splits)
            table.AddColumn(new TableColumn(ComposeLayout.SplitName(s)).RightAligned());
        foreach (var kind in Enum.GetValues<CorpusClipKind>())
            for (int c = 0; c < ExpressionClasses.Count; c++)
            {
                var of = manifest.Clips.Where(x => x.Kind == kind && x.Class == c).ToList();
                if (of.Count > 0)
                    table.AddRow([kind.ToString(), ExpressionClasses.Names[c], .. splits.Select(s => of.Count(x => x.Split == s).ToString())]);
            }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(Path.Combine(outPath, CorpusManifest.FileName))}[/]");
    }

    private static int[] Actors(string text, string option)
        => ListArgument.Numbers(text, option).Select(v => v == Math.Floor(v) && v is >= 1 and <= 99 ? (int)v
            : throw new AffectFuseException(null, $"{option}: '{v}' is not an actor number 1–99")).ToArray();

}
