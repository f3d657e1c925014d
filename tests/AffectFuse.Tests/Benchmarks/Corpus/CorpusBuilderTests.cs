using System.Diagnostics;
using AffectFuse.Benchmarks.Compose;
using AffectFuse.Benchmarks.Corpus;
using AffectFuse.Data;
using AffectFuse.Tests.Benchmarks.Compose;
using Xunit;

namespace AffectFuse.Tests.Benchmarks.Corpus;

/// <summary>The training-corpus builder on a tiny fake data folder: faces and EmoDB as the compose tests make them, plus a
/// RAVDESS folder of two actors.</summary>
public sealed class CorpusBuilderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "affectfuse-corpus-" + Guid.NewGuid().ToString("N"));

    private static CorpusOptions Tiny => new()
    {
        Width = 160, Height = 120, FaceClipSeconds = 0.4, PhotosPerClip = 2, AudioVisualShare = 0.15, NoisyVoiceShare = 0.15,
        RavdessValidationActors = [2], RavdessTestActors = [], EmodbValidationSpeakers = ["12"], EmodbTestSpeakers = ["15"],
    };

    private string Data()
    {
        string data = FakeComposeData.Create(Path.Combine(_root, "data"));
        string ravdess = Path.Combine(data, "ravdess_speech");
        var csv = new List<string> { "path,actor,sex,emotion,intensity,statement,repetition" };
        foreach (int actor in new[] { 1, 2 })
            foreach (var (code, emotion) in new[] { ("01", "neutral"), ("05", "angry"), ("03", "happy") })
            {
                string rel = $"Actor_{actor:00}/03-01-{code}-01-01-01-{actor:00}.flac";
                Directory.CreateDirectory(Path.Combine(ravdess, $"Actor_{actor:00}"));
                string wav = Path.Combine(_root, "tone.wav");
                FakeComposeData.WriteTone(wav, 180 + 20 * actor, seconds: 1.3, rate: 16000);
                Run("ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", wav, "-c:a", "flac", Path.Combine(ravdess, rel));
                csv.Add($"{rel},{actor:00},{(actor % 2 == 1 ? "M" : "F")},{emotion},normal,01,01");
            }
        File.WriteAllLines(Path.Combine(ravdess, "labels.csv"), csv);
        return data;
    }

    [Fact]
    public void Every_source_becomes_clips_of_its_own_split_with_labels_as_long_as_the_media()
    {
        string data = Data(), outDir = Path.Combine(_root, "out");
        var builder = new CorpusBuilder(data, outDir, Tiny);
        var manifest = builder.Run();

        var kinds = manifest.Clips.GroupBy(c => c.Kind).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(32 + 6, kinds[CorpusClipKind.Voice]); // every EmoDB and RAVDESS utterance
        Assert.True(kinds[CorpusClipKind.Face] >= 20 / 2, "every photograph is in a face clip");
        Assert.Equal(20, manifest.Clips.Where(c => c.Kind == CorpusClipKind.Face).Sum(c => c.Photos.Count));
        Assert.True(kinds[CorpusClipKind.AudioVisual] > 0);
        Assert.All(manifest.Clips.Where(c => c.Speaker == "02"), c => Assert.Equal(ComposeSplit.Validation, c.Split));
        var voiceClass = manifest.Clips.Where(c => c.Kind == CorpusClipKind.Voice).ToDictionary(c => c.Voice!, c => c.Class);
        Assert.All(manifest.Clips.Where(c => c.Kind == CorpusClipKind.AudioVisual), c => Assert.Equal(voiceClass[c.Voice!], c.Class));
        Assert.Equal(4, voiceClass[Path.Combine(data, "ravdess_speech", "Actor_01", "03-01-03-01-01-01-01.flac")]);

        foreach (var clip in manifest.Clips)
        {
            string media = builder.MediaPath(clip);
            Assert.True(File.Exists(media), media);
            var labels = ExprLabelFile.Read(ComposeLayout.LabelPath(outDir, clip.Split, clip.Name));
            Assert.All(labels, l => Assert.Equal(clip.Class, l));
        }
        // One of each kind and treatment is measured (ffprobe per clip would cost more than the build).
        foreach (var clip in manifest.Clips.GroupBy(c => (c.Kind, c.Sound is null, c.Extension)).Select(g => g.First()))
        {
            string media = builder.MediaPath(clip);
            int labels = ExprLabelFile.Read(ComposeLayout.LabelPath(outDir, clip.Split, clip.Name)).Length;
            double seconds = double.Parse(Run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", media).Trim(),
                System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(labels, Math.Floor(seconds * 25) - 1, Math.Ceiling(seconds * 25) + 1);
        }
        // A face clip without sound has no audio stream at all; a voice clip has no picture.
        var silent = manifest.Clips.First(c => c.Kind == CorpusClipKind.Face && c.Sound is null);
        Assert.Equal("video", Streams(builder.MediaPath(silent)));
        Assert.Equal("audio", Streams(builder.MediaPath(manifest.Clips.First(c => c.Kind == CorpusClipKind.Voice))));
    }

    [Fact]
    public void The_same_seed_plans_the_same_corpus_and_a_finished_folder_is_kept()
    {
        string data = Data(), outDir = Path.Combine(_root, "out");
        var first = new CorpusBuilder(data, outDir, Tiny).Run();
        string clip = new CorpusBuilder(data, outDir, Tiny).MediaPath(first.Clips[0]);
        var written = File.GetLastWriteTimeUtc(clip);
        var second = new CorpusBuilder(data, outDir, Tiny).Run();
        Assert.Equal(first.ToJson(), second.ToJson());
        Assert.Equal(written, File.GetLastWriteTimeUtc(clip));
        var e = Assert.Throws<AffectFuseException>(() => new CorpusBuilder(data, outDir, Tiny with { Seed = 2 }).Run());
        Assert.Contains("other options", e.Message);
    }

    [Fact]
    public void Speed_is_drawn_only_when_asked_and_within_its_range()
    {
        string data = Data(), outDir = Path.Combine(_root, "out");
        var plain = new CorpusBuilder(data, outDir, Tiny).Plan().Clips;
        Assert.All(plain, c => Assert.True(c.Sound is null || c.Sound.Speed == 1));
        var voices = new CorpusBuilder(data, outDir, Tiny with { SpeedShare = 1, MaxSpeedChange = 0.1 }).Plan().Clips.Where(c => c.Voice is not null).ToList();
        var train = voices.Where(c => c.Split == ComposeSplit.Train).ToList();
        Assert.All(train, c => Assert.InRange(c.Sound!.Speed, 0.9, 1.1));
        Assert.Contains(train, c => c.Sound!.Speed != 1);
        Assert.All(voices.Where(c => c.Split != ComposeSplit.Train), c => Assert.True(c.Sound is null || c.Sound.Speed == 1));
        Assert.Contains(voices, c => c.Split != ComposeSplit.Train);
    }

    [Fact]
    public void A_faster_voice_is_shorter_and_higher()
    {
        Directory.CreateDirectory(_root);
        string wav = Path.Combine(_root, "voice.wav");
        FakeComposeData.WriteTone(wav, 200, seconds: 1.0, rate: 16000);
        var same = SoundMaker.Voice(wav, new SoundDegradation(0, null), seed: 1);
        var faster = SoundMaker.Voice(wav, new SoundDegradation(0, null, Speed: 1.1), seed: 1);
        Assert.InRange(faster.Length, same.Length / 1.1 - 160, same.Length / 1.1 + 160);
        double rise = CrossingsPerSample(faster) / CrossingsPerSample(same);
        Assert.InRange(rise, 1.07, 1.13);
    }

    private static double CrossingsPerSample(float[] x)
    {
        int n = 0;
        for (int i = 1; i < x.Length; i++) if ((x[i - 1] < 0) != (x[i] < 0)) n++;
        return n / (double)x.Length;
    }

    [Fact]
    public void Bad_settings_name_the_option()
    {
        var e = Assert.Throws<AffectFuseException>(() => (Tiny with { MinCrf = 30, MaxCrf = 20 }).Validate());
        Assert.Contains("--max-crf", e.Message);
        e = Assert.Throws<AffectFuseException>(() => (Tiny with { RavdessTestActors = [2] }).Validate());
        Assert.Contains("--ravdess-validation", e.Message);
    }

    private static string Streams(string media)
        => string.Join(",", Run("ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", media)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{program} failed: {p.StandardError.ReadToEnd()}");
        return output;
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
