using AffectFuse.Benchmarks.Compose;
using AffectFuse.Data;
using Xunit;

namespace AffectFuse.Tests.Benchmarks.Compose;

public sealed class BenchmarkComposerTests(ComposedBenchmarkFixture fx) : IClassFixture<ComposedBenchmarkFixture>
{
    [Fact]
    public void WritesOneVideoAndLabelFilePerClipInAffWild2Layout()
    {
        Assert.Equal(3, fx.Result.Manifest.Clips.Count);
        foreach (var clip in fx.Result.Manifest.Clips)
        {
            Assert.True(File.Exists(ComposeLayout.VideoPath(fx.Out, clip.Split, clip.Name)), clip.Name);
            Assert.True(File.Exists(ComposeLayout.LabelPath(fx.Out, clip.Split, clip.Name)), clip.Name);
        }
        Assert.True(File.Exists(Path.Combine(fx.Out, "EXPR_Recognition_Challenge", "Validation_Set", "validation_000.txt")));
        Assert.True(File.Exists(Path.Combine(fx.Out, "videos", "test", "test_000.mp4")));
        Assert.True(File.Exists(Path.Combine(fx.Out, "compose.json")));
        // No temporary file (audio track, half-written video) is left behind.
        Assert.Empty(Directory.EnumerateFiles(fx.Out, ".*", SearchOption.AllDirectories));
    }

    [Fact]
    public void LabelFileHasOneLinePerDecodedFrameAndTheSegmentsClasses()
    {
        foreach (var clip in fx.Result.Manifest.Clips)
        {
            string video = ComposeLayout.VideoPath(fx.Out, clip.Split, clip.Name);
            int[] labels = ExprLabelFile.Read(ComposeLayout.LabelPath(fx.Out, clip.Split, clip.Name));
            Assert.Equal(MediaProbe.DecodedFrames(video), labels.Length);
            Assert.Equal(3 * fx.Options.Fps, labels.Length);
            Assert.Equal(clip.Labels(), labels);
            Assert.All(clip.Segments, s => Assert.All(labels[s.StartFrame..s.EndFrame], l => Assert.Equal(s.Class, l)));
            Assert.Equal("Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other", File.ReadLines(ComposeLayout.LabelPath(fx.Out, clip.Split, clip.Name)).First());
        }
    }

    [Fact]
    public void VideoIsH264WithAnAacTrack()
    {
        foreach (var clip in fx.Result.Manifest.Clips)
        {
            var codecs = MediaProbe.Codecs(ComposeLayout.VideoPath(fx.Out, clip.Split, clip.Name));
            Assert.Contains("h264", codecs);
            Assert.Contains("aac", codecs);
        }
    }

    [Fact]
    public void SegmentsCoverEveryFrameInOrder()
    {
        foreach (var clip in fx.Result.Manifest.Clips)
        {
            Assert.Equal(0, clip.Segments[0].StartFrame);
            Assert.Equal(clip.Frames, clip.Segments[^1].EndFrame);
            for (int i = 1; i < clip.Segments.Count; i++)
                Assert.Equal(clip.Segments[i - 1].EndFrame, clip.Segments[i].StartFrame);
            Assert.All(clip.Segments, s => Assert.All(s.Utterances, u => Assert.True(u.StartFrame >= s.StartFrame && u.EndFrame <= s.EndFrame)));
        }
    }

    [Fact]
    public void EachSplitUsesOnlyItsOwnIdentitiesAndSpeakers()
    {
        var faces = FaceCatalogue.Load(Path.Combine(fx.Data, "faces"));
        foreach (var clip in fx.Result.Manifest.Clips)
        {
            var ids = FakeComposeData.Identities[clip.Split];
            var speakers = FakeComposeData.Speakers[clip.Split];
            Assert.Contains(clip.Speaker, speakers);
            foreach (var s in clip.Segments)
            {
                Assert.Contains(s.FaceIdentity, ids);
                var photo = faces.Photos.Single(p => p.Image == s.FaceImage);
                Assert.Equal(clip.Split, photo.Split);
                Assert.Equal(s.Class, photo.Class);
                Assert.All(s.Utterances, u => Assert.Contains(u.Speaker, speakers));
                Assert.All(s.Utterances, u => Assert.Equal(s.Class, UtteranceCatalogue.EmotionLetters[u.File[5]]));
                if (s.Class == 6)
                    Assert.Empty(s.Utterances); // EmoDB has no surprise: noise only
            }
        }
    }

    [Fact]
    public void SpeechSoundsWhereThePlanPutsUtterancesAndOnlyNoiseElsewhere()
    {
        const int rate = 16000;
        int checkedClips = 0;
        foreach (var clip in fx.Result.Manifest.Clips)
        {
            var audio = MediaProbe.DecodeAudio(ComposeLayout.VideoPath(fx.Out, clip.Split, clip.Name), rate);
            Assert.InRange(audio.Length, clip.Frames * rate / fx.Options.Fps - rate / 10, clip.Frames * rate / fx.Options.Fps + rate / 10);
            var speaking = new bool[clip.Frames];
            foreach (var u in clip.Segments.SelectMany(s => s.Utterances))
                Array.Fill(speaking, true, u.StartFrame, u.EndFrame - u.StartFrame);
            double Rms(bool wanted)
            {
                double sum = 0;
                long n = 0;
                for (int f = 0; f < clip.Frames; f++)
                {
                    // Skip frames next to a boundary: the envelope and the codec's delay blur it.
                    if (speaking[f] != wanted || (f > 0 && speaking[f - 1] != wanted) || (f + 1 < clip.Frames && speaking[f + 1] != wanted)) continue;
                    for (int i = f * rate / fx.Options.Fps; i < Math.Min(audio.Length, (f + 1) * rate / fx.Options.Fps); i++, n++)
                        sum += audio[i] * (double)audio[i];
                }
                return n == 0 ? double.NaN : Math.Sqrt(sum / n);
            }
            double speech = Rms(true), silence = Rms(false);
            if (double.IsNaN(speech) || double.IsNaN(silence)) continue;
            Assert.True(speech > 5 * silence, $"{clip.Name}: speech RMS {speech:F4} vs pause RMS {silence:F4} at 30 dB SNR");
            Assert.True(silence > 0, "the pauses carry background noise");
            checkedClips++;
        }
        Assert.True(checkedClips > 0);
    }

    [Fact]
    public void ManifestRecordsOptionsSeedAndPlansAndReadsBack()
    {
        var back = ComposeManifest.Read(ComposeLayout.ManifestPath(fx.Out));
        Assert.Equal(fx.Options.Seed, back.Seed);
        Assert.Equal(fx.Options.Width, back.Options.Width);
        Assert.Equal(fx.Options.ClassPrior, back.Options.ClassPrior);
        Assert.Equal(fx.Result.Manifest.ToJson(), back.ToJson());
        string json = File.ReadAllText(ComposeLayout.ManifestPath(fx.Out));
        foreach (string key in new[] { "\"Split\"", "\"Speaker\"", "\"Segments\"", "\"AbsentSpans\"", "\"SnrDb\"", "\"FaceImage\"", "\"Utterances\"", "\"ClassName\"" })
            Assert.Contains(key, json);
    }

    [Fact]
    public void RerunKeepsCompleteClipsAndRefusesAFolderComposedWithOtherOptions()
    {
        var again = new BenchmarkComposer(fx.Data, fx.Out, fx.Options).Run();
        Assert.All(again.Clips, c => Assert.True(c.Skipped, c.Clip));

        var e = Assert.Throws<AffectFuseException>(() => new BenchmarkComposer(fx.Data, fx.Out, fx.Options with { Seed = 99 }).Run());
        Assert.Equal(ComposeLayout.ManifestPath(fx.Out), e.File);
    }
}
