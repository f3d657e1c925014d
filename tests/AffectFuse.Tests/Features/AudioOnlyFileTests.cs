using System.Globalization;
using AffectFuse.Cli.Commands;
using AffectFuse.Data;
using AffectFuse.Decoding;
using AffectFuse.Features;
using AffectFuse.Features.Visual;
using AffectFuse.Tests.Audio;
using AffectFuse.Tests.Decoding;
using AffectFuse.Workflows;
using Xunit;
using AffectFuse.Tests.Fixtures;

namespace AffectFuse.Tests.Features;

/// <summary>A voice recording, 3.3 s long (a short espeak-ng sentence padded with silence), as wav, flac, mp3 with cover art and
/// ogg: by <see cref="AudioOnlyFrames"/>' rule, 83 frames (82 × 0.04 = 3.28 s &lt; 3.3 s).</summary>
public sealed class VoiceFiles : IDisposable
{
    public const double Seconds = 3.3;
    public const int Frames = 83;
    private readonly TempFolder _dir = new();

    public VoiceFiles()
    {
        string speech = _dir.File("speech.wav"), cover = _dir.File("cover.png");
        AudioTestKit.Run("espeak-ng", "-w", speech, "Only a voice, no face.");
        Wav = _dir.File("voice.wav");
        AudioTestKit.Run("ffmpeg", "-v", "error", "-i", speech, "-af", "apad", "-t", Seconds.ToString(CultureInfo.InvariantCulture), Wav);
        Flac = Encode("voice.flac");
        Ogg = Encode("voice.ogg");
        AudioTestKit.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x64", "-frames:v", "1", cover);
        Mp3 = _dir.File("voice.mp3");
        // Cover art is a video stream to a demuxer: the one picture must not make the file a video.
        AudioTestKit.Run("ffmpeg", "-v", "error", "-i", Wav, "-i", cover, "-map", "0", "-map", "1", "-c:v", "copy", "-disposition:v", "attached_pic", Mp3);
    }

    public string Wav { get; }
    public string Flac { get; }
    public string Mp3 { get; }
    public string Ogg { get; }

    public string PathOf(string name) => _dir.File(name);

    private string Encode(string name)
    {
        string path = _dir.File(name);
        AudioTestKit.Run("ffmpeg", "-v", "error", "-i", Wav, path);
        return path;
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>`predict` and `extract` on files without a video stream, with a RANDOMLY INITIALISED model: the plumbing (every
/// frame of the rule labelled, no face, the voice present), not the quality of the labels.</summary>
[Collection(PipelineMediaCollection.Name)]
public class AudioOnlyFileTests(PipelineMedia media, VoiceFiles voice) : IClassFixture<VoiceFiles>
{
    private const int FacePresent = 13, AudioPresent = 14, Speech = 15;

    [Fact]
    public void PredictOnAWavLabelsTheRulesFramesFromTheVoiceWithNoFace()
    {
        string outDir = voice.PathOf("predict-wav");
        string report = Path.Combine(outDir, "report.html");
        var o = CommandLine.Exclusive(() => PredictCommand.Run(voice.Wav, media.RandomCheckpoint(), outDir, new ExtractionOptions(), report));

        var rows = Rows(o.Csv);
        Assert.Equal(VoiceFiles.Frames, rows.Count);
        Assert.Equal(Enumerable.Range(1, VoiceFiles.Frames), rows.Select(r => int.Parse(r[1], CultureInfo.InvariantCulture)));
        Assert.Equal(Enumerable.Range(0, VoiceFiles.Frames).Select(AudioOnlyFrames.Time), rows.Select(r => double.Parse(r[2], CultureInfo.InvariantCulture)));
        Assert.All(rows, r => Assert.Equal("0", r[FacePresent]));
        Assert.All(rows, r => Assert.Equal("1", r[AudioPresent]));
        Assert.Contains(rows, r => float.Parse(r[Speech], CultureInfo.InvariantCulture) > 0.5f); // the sentence
        Assert.Contains(rows, r => float.Parse(r[Speech], CultureInfo.InvariantCulture) < 0.2f); // the padding
        Assert.Equal(rows.Select(r => int.Parse(r[3], CultureInfo.InvariantCulture)), ExprLabelFile.Read(o.Abaw));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(o.Timeline).Take(4).ToArray());
        Assert.Contains($"voice: 3.3 s, {VoiceFiles.Frames} frames; face in 0 % of frames", File.ReadAllText(o.Summary));
        Assert.Contains("<html", File.ReadAllText(report));
    }

    [Theory]
    [InlineData("flac")]
    [InlineData("mp3")]
    public void FlacAndMp3GiveTheSameFrames(string format)
    {
        string file = format == "flac" ? voice.Flac : voice.Mp3;
        var o = CommandLine.Exclusive(() => PredictCommand.Run(file, media.RandomCheckpoint(), voice.PathOf("predict-" + format), new ExtractionOptions()));
        var rows = Rows(o.Csv);
        Assert.Equal(VoiceFiles.Frames, rows.Count);
        Assert.All(rows, r => Assert.Equal("0", r[FacePresent]));
        Assert.All(rows, r => Assert.Equal("1", r[AudioPresent]));
    }

    [Fact]
    public void RecognizerPredictsAnAudioFileWithoutDecodingPicturesOrRunningTheFaceNets()
    {
        using var recognizer = Recognizer.Load(media.RandomCheckpoint());
        var p = recognizer.Predict(voice.Mp3); // its cover art would be one decoded picture if it were taken for a video
        Assert.Equal(VoiceFiles.Frames, p.FrameCount);
        Assert.All(p.FacePresent, Assert.False);
        Assert.All(p.AudioPresent, Assert.True);
        var s = recognizer.LastExtraction!;
        Assert.Equal((VoiceFiles.Frames, 0, 0), (s.Frames, s.FacesFound, s.DetectorRuns));
        Assert.Equal((0.0, 0.0), (s.DecodeStageBusySeconds, s.BackboneStageBusySeconds));
        Assert.Null(s.Shortfall);
    }

    [Fact]
    public void ExtractWritesNoFaceAndTheRulesFramesAndLosslessFilesAgree()
    {
        string outDir = voice.PathOf("extract");
        var (code, error) = CommandLine.Run(ExtractCommand.Create(), voice.Wav, "--out", outDir);
        Assert.True(code == 0, error);
        var wav = FeatureFile.Load(Path.Combine(outDir, "voice.npz"));
        Assert.Equal(VoiceFiles.Frames, wav.FrameCount);
        Assert.All(wav.VisualMask, Assert.False);
        Assert.All(wav.Visual.ToSingles(), v => Assert.Equal(0f, v));
        Assert.All(wav.AudioMask, Assert.True);
        Assert.Equal(Enumerable.Range(0, VoiceFiles.Frames).Select(AudioOnlyFrames.Time), wav.Timestamps);
        Assert.Equal(AudioOnlyFrames.FramesPerSecond, wav.Meta.Fps);
        Assert.Equal(VisualFeatureLayout.Name(new ExtractionOptions().Visual), wav.Meta.VisualFeatures);

        using var pipeline = new FeatureExtractionPipeline();
        var flac = pipeline.Extract(voice.Flac);
        Assert.Equal(wav.Audio.ToSingles(), flac.Audio.ToSingles());
    }

    [Fact]
    public void AFolderWithAVideoAndAnAudioFileExtractsBoth()
    {
        string input = voice.PathOf("folder"), outDir = voice.PathOf("folder-out");
        Directory.CreateDirectory(input);
        TestMedia.Ffmpeg($"-i \"{media.Video}\" -t 2 -c copy \"{Path.Combine(input, "clip.mp4")}\"");
        File.Copy(voice.Ogg, Path.Combine(input, "voice.ogg"));
        File.WriteAllText(Path.Combine(input, "notes.txt"), "not scanned");

        var (code, error) = CommandLine.Run(ExtractCommand.Create(), input, "--out", outDir);
        Assert.True(code == 0, error);
        Assert.Equal(["clip.npz", "voice.npz"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var clip = FeatureFile.Load(Path.Combine(outDir, "clip.npz"));
        Assert.Equal(PipelineMedia.CountFrames(Path.Combine(input, "clip.mp4")), clip.FrameCount);
        Assert.Contains(true, clip.VisualMask);
        var sound = FeatureFile.Load(Path.Combine(outDir, "voice.npz"));
        Assert.Equal(VoiceFiles.Frames, sound.FrameCount);
        Assert.DoesNotContain(true, sound.VisualMask);
    }

    [Fact]
    public void ATinyVideoWithoutSoundStillWorksAsBefore()
    {
        string video = voice.PathOf("tiny.mp4");
        TestMedia.Ffmpeg($"-f lavfi -i testsrc=size=160x120:rate=25 -t 1 -c:v libx264 -preset ultrafast -pix_fmt yuv420p \"{video}\"");
        var o = CommandLine.Exclusive(() => PredictCommand.Run(video, media.RandomCheckpoint(), voice.PathOf("predict-tiny"), new ExtractionOptions()));
        var rows = Rows(o.Csv);
        Assert.Equal(PipelineMedia.CountFrames(video), rows.Count);
        Assert.All(rows, r => Assert.Equal("0", r[AudioPresent]));
    }

    private static List<string[]> Rows(string csv) => [.. File.ReadLines(csv).Skip(1).Select(l => l.Split(','))];
}
