using AffectFuse.Audio;
using AffectFuse.Inference;
using AffectFuse.Model;
using AffectFuse.Reporting;
using AffectFuse.Training;
using Xunit;
using Xunit.Abstractions;
using AffectFuse.Workflows;
using AffectFuse.Tests.Fixtures;

namespace AffectFuse.Tests.Workflows;

/// <summary>Uses a RANDOMLY INITIALISED model saved with <see cref="Checkpoint.Save"/>: these tests check the plumbing
/// (every frame labelled, shapes, writers), not the quality of the predictions.</summary>
[Collection(PipelineMediaCollection.Name)]
public class RecognizerTests(PipelineMedia media, ITestOutputHelper output)
{
    [Fact]
    public void EveryFrameGetsALabelAndTheWritersProduceFiles()
    {
        using var recognizer = Recognizer.Load(media.RandomCheckpoint());
        var features = media.Features;
        var p = recognizer.Predict(features);
        Assert.Equal(features.FrameCount, p.FrameCount);
        var frames = p.Frames.ToList();
        Assert.Equal(features.FrameCount, frames.Count);
        for (int t = 0; t < frames.Count; t++)
        {
            var f = frames[t];
            Assert.Equal(t, f.Index);
            Assert.Equal(features.Timestamps[t], f.Time);
            Assert.InRange(f.Label, 0, 7);
            Assert.Equal(ExpressionClasses.Names[f.Label], f.LabelName);
            Assert.Equal(8, f.Probabilities.Length);
            Assert.InRange(f.Probabilities.Sum(), 0.999f, 1.001f);
            Assert.Equal(f.Probabilities.Max(), f.Confidence);
            Assert.Equal(features.VisualMask[t], f.FacePresent);
            Assert.Equal(features.Audio.ToSingles()[t * features.AudioDim + AudioFeatureLayout.VadColumn], f.SpeechProbability);
        }

        var segments = ExpressionSegments.From(p);
        Assert.Equal(0, segments[0].StartFrame);
        Assert.Equal(p.FrameCount, segments[^1].EndFrame);
        for (int i = 1; i < segments.Count; i++)
        {
            Assert.Equal(segments[i - 1].EndFrame, segments[i].StartFrame);
            Assert.NotEqual(segments[i - 1].Label, segments[i].Label);
            Assert.Equal(segments[i - 1].End, segments[i].Start);
        }
        Assert.Equal(8.0, segments[^1].End, 3);
        string summary = ExpressionSegments.Summarize(p);
        output.WriteLine(summary);
        Assert.Contains("talking: 8.0 s, 200 frames; face in 72 % of frames", summary); // 143 of 200 frames

        string csv = media.PathOf("talking.csv"), png = media.PathOf("talking.png");
        PredictionCsv.Write(csv, p);
        TimelinePlot.Save(png, p);
        Assert.Equal(p.FrameCount + 1, File.ReadAllLines(csv).Length);
        byte[] image = File.ReadAllBytes(png);
        Assert.True(image.Length > 10_000);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, image[..4]);
        if (Environment.GetEnvironmentVariable("AFFECTFUSE_KEEP_PLOT") is string keep)
            File.Copy(png, keep, overwrite: true);
    }

    [Fact]
    public void PredictingAVideoFileExtractsItFirst()
    {
        using var recognizer = Recognizer.Load(media.RandomCheckpoint());
        var p = recognizer.Predict(media.Silent);
        Assert.Equal(PipelineMedia.Frames, p.FrameCount);
        Assert.All(p.AudioPresent, Assert.False);
        Assert.Equal(media.SilentFeatures.VisualMask, p.FacePresent);
        Assert.All(p.Labels, l => Assert.InRange(l, 0, 7));
    }

    [Fact]
    public void ACheckpointForOtherFeatureWidthsIsRefusedWithTheFileNamed()
    {
        string path = media.RandomCheckpoint(visualDim: 1024, audioDim: 145);
        var e = Assert.Throws<AffectFuseException>(() => Recognizer.Load(path));
        Assert.Equal(path, e.File);
        Assert.Contains("visual 1024", e.Message);
        Assert.Contains("263", e.Message);
    }
}
