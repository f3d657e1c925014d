using AffectFuse.Audio;
using AffectFuse.Features;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using AffectFuse.IO;
using Xunit;
using Xunit.Abstractions;
using AffectFuse.Faces.Nets;
using AffectFuse.Tests.Fixtures;

namespace AffectFuse.Tests.Features;

[Collection(PipelineMediaCollection.Name)]
public class FeatureExtractionPipelineTests(PipelineMedia media, ITestOutputHelper output)
{
    [Fact]
    public void VisualMaskIsTrueWhereTheFaceIsAndFalseWhereItIsNot()
    {
        var mask = media.Features.VisualMask;
        output.WriteLine(string.Concat(mask.Select(m => m ? '1' : '0')));
        output.WriteLine(media.Statistics.ToString());
        for (int i = 0; i < mask.Length; i++)
        {
            bool expected = PipelineMedia.FaceExpected(i);
            // Two frames of slack at each span edge (tracking may confirm an appearance or a loss a frame late).
            bool nearEdge = Enumerable.Range(i - 2, 5).Any(j => j >= 0 && j < mask.Length && PipelineMedia.FaceExpected(j) != expected);
            if (!nearEdge)
                Assert.True(mask[i] == expected, $"frame {i}: face present {mask[i]}, expected {expected}");
        }
        Assert.Equal(Enumerable.Range(0, mask.Length).Count(PipelineMedia.FaceExpected), media.Statistics.FacesFound);
    }

    [Fact]
    public void TheProfileRecordsEveryStepOfThePathOnItsThread()
    {
        var profile = media.Statistics.Profile!;
        int frames = media.Features.FrameCount;
        // Each frame is produced once (and the end once more); the detector runs on every N-th frame or more.
        Assert.Equal(frames + 1, profile.Calls(ProfiledStage.Decode));
        Assert.Equal(frames + 1, profile.Calls(ProfiledStage.Track));
        Assert.InRange(profile.Calls(ProfiledStage.Detect), frames / 5, frames + 1);
        Assert.Equal(frames, profile.Calls(ProfiledStage.AudioPooling));
        foreach (var stage in new[] { ProfiledStage.Decode, ProfiledStage.Detect, ProfiledStage.Align, ProfiledStage.MiniXception,
                     ProfiledStage.FaceApiExpression, ProfiledStage.Descriptors, ProfiledStage.Vad, ProfiledStage.SpeechEmbedding })
            Assert.True(profile.Seconds(stage) > 0, $"{stage}: no CPU time recorded");
        Assert.Equal(0, profile.Calls(ProfiledStage.Blendshapes)); // not in the default set
        Assert.True(profile.Seconds(ProfiledStage.Decode) < media.Statistics.WallSeconds * Environment.ProcessorCount);
    }

    [Fact]
    public void VisualRowsHoldCnnFeaturesWhereTheFaceIsAndZerosWhereNot()
    {
        var f = media.Features;
        int dv = VisualFeatureLayout.Width(VisualFeatureLayout.Default);
        Assert.Equal(dv, f.VisualDim);
        for (int t = 0; t < f.FrameCount; t++)
        {
            var row = f.Visual.ToSingles().AsSpan(t * dv, dv);
            if (f.VisualMask[t])
                Assert.InRange(row[..EmotionBackbone.ClassCount].ToArray().Sum(), 0.999f, 1.001f); // softmax probabilities
            else
                Assert.True(row.ToArray().All(v => v == 0), $"frame {t} has no face but a non-zero visual row");
        }
    }

    [Fact]
    public void EveryFeatureGroupAtOnceKeepsTheOriginalColumnsAndRecordsTheSet()
    {
        var options = new ExtractionOptions { Visual = VisualFeatureLayout.All, Audio = AudioFeatureSets.All };
        using var pipeline = new FeatureExtractionPipeline(options);
        var all = pipeline.Extract(media.Video);
        var f = media.Features;
        Assert.Equal(VisualFeatureLayout.Name(VisualFeatureLayout.All), all.Meta.VisualFeatures);
        Assert.Equal(AudioFeatureSets.Name(AudioFeatureSets.All), all.Meta.AudioFeatures);
        Assert.Equal((263 + 263 + 24 + 52, 145 + 96), (all.VisualDim, all.AudioDim));
        Assert.Equal(f.VisualMask, all.VisualMask);
        // The default groups' columns are what extracting them alone gives, bit for bit.
        var original = FeatureSetSelection.Select(all, VisualFeatureLayout.Default, AudioFeatureSets.Default);
        Assert.Equal(f.Visual.ToSingles(), original.Visual.ToSingles());
        Assert.Equal(f.Audio.ToSingles(), original.Audio.ToSingles());
        int faceApi = VisualFeatureLayout.Offset(VisualFeatureLayout.All, VisualFeatureGroups.FaceApiExpression);
        int marks = VisualFeatureLayout.Offset(VisualFeatureLayout.All, VisualFeatureGroups.Landmarks);
        for (int t = 0; t < all.FrameCount; t++)
        {
            float probabilities = Enumerable.Range(faceApi, 7).Sum(c => all.Visual[t, c]);
            if (all.VisualMask[t])
            {
                Assert.InRange(probabilities, 0.999f, 1.001f);
                Assert.InRange(all.Visual[t, marks + 1], 0.3f, 3f); // mouth width in inter-ocular distances
            }
            else
                Assert.Equal(0f, probabilities + Math.Abs(all.Visual[t, marks + 1]));
        }
        var embedding = Enumerable.Range(0, all.FrameCount).Select(t => Enumerable.Range(145, 96).Sum(c => Math.Abs(all.Audio[t, c]))).ToArray();
        Assert.True(embedding.Skip(25).All(v => v > 0), "every frame after the first second has a speech embedding");
    }

    [Fact]
    public void FaceNetsOnEveryThirdFrameHoldTheirRowsBetween()
    {
        using var pipeline = new FeatureExtractionPipeline(new ExtractionOptions { FaceNetEvery = 3 });
        var sparse = pipeline.Extract(media.Video);
        using var dense = new FeatureExtractionPipeline(new ExtractionOptions { FaceNetEvery = 1 });
        var f = dense.Extract(media.Video);
        Assert.Equal(f.VisualMask, sparse.VisualMask);
        int run = 0;
        for (int t = 0; t < f.FrameCount; t++)
        {
            run = f.VisualMask[t] ? run + 1 : 0;
            var row = Enumerable.Range(0, f.VisualDim).Select(c => sparse.Visual[t, c]).ToArray();
            if (run == 0)
                Assert.All(row, v => Assert.Equal(0f, v));
            else if ((run - 1) % 3 == 0) // seen: as on every frame (other batches round differently in the last bits)
                Assert.All(Enumerable.Range(0, f.VisualDim), c => Assert.Equal(f.Visual[t, c], row[c], 1e-5f));
            else
                Assert.Equal(Enumerable.Range(0, f.VisualDim).Select(c => sparse.Visual[t - 1, c]), row); // held
        }
    }

    [Fact]
    public void AudioMaskIsTrueThroughTheFile()
    {
        Assert.All(media.Features.AudioMask, Assert.True);
        Assert.Equal(AudioFeatureSets.Width(AudioFeatureSets.Default), media.Features.AudioDim);
    }

    [Fact]
    public void SpeechProbabilityIsHighInSpeechAndLowInSilence()
    {
        double MeanVad(double from, double to)
        {
            var f = media.Features;
            var values = Enumerable.Range(0, f.FrameCount).Where(t => f.Timestamps[t] >= from && f.Timestamps[t] <= to)
                .Select(t => f.Audio.ToSingles()[t * f.AudioDim + AudioFeatureLayout.VadColumn]).ToList();
            Assert.NotEmpty(values);
            return values.Average();
        }
        var (a0, a1) = media.Speech1;
        var (b0, b1) = media.Speech2;
        double speech1 = MeanVad(a0 + 0.4, a1 - 0.5), speech2 = MeanVad(b0 + 0.4, b1 - 0.5);
        double leading = MeanVad(0, a0 - 0.3), gap = MeanVad(a1 + 0.5, b0 - 0.4);
        output.WriteLine($"speech {speech1:F2} {speech2:F2}; silence {leading:F2} {gap:F2}");
        Assert.True(speech1 > 0.6 && speech2 > 0.6, $"speech VAD means {speech1:F2}, {speech2:F2}");
        Assert.True(leading < 0.2 && gap < 0.2, $"silence VAD means {leading:F2}, {gap:F2}");
    }

    [Fact]
    public void OneRowPerDecodedFrameWithTimestampsAndProvenance()
    {
        var f = media.Features;
        Assert.Equal(PipelineMedia.CountFrames(media.Video), f.FrameCount);
        Assert.Equal(PipelineMedia.Frames, f.FrameCount);
        for (int t = 1; t < f.FrameCount; t++)
            Assert.Equal(t / 25.0, f.Timestamps[t], 3);
        Assert.Equal(25, f.Meta.Fps, 3);
        Assert.Equal(VisualFeatureLayout.Name(VisualFeatureLayout.Default), f.Meta.VisualFeatures);
        Assert.Equal(AudioFeatureSets.Name(AudioFeatureSets.Default), f.Meta.AudioFeatures);
        Assert.Equal("talking", f.VideoId);
        f.Validate(media.Video);
    }

    [Fact]
    public void VideoWithoutAudioTrackHasAnAllFalseAudioMaskAndTheSameFaces()
    {
        var f = media.SilentFeatures;
        Assert.Equal(media.Features.FrameCount, f.FrameCount);
        Assert.All(f.AudioMask, Assert.False);
        Assert.All(f.Audio.ToSingles(), v => Assert.Equal(0f, v));
        Assert.Equal(media.Features.VisualMask, f.VisualMask);
    }

    [Fact]
    public void AFileThatIsNotAVideoIsNamedInTheError()
    {
        string bad = media.PathOf("not-a-video.mp4");
        File.WriteAllText(bad, "this is not a video");
        using var pipeline = new FeatureExtractionPipeline();
        var e = Assert.Throws<AffectFuseException>(() => pipeline.Extract(bad));
        Assert.Equal(bad, e.File);
        Assert.StartsWith(bad + ": ", e.Message);
    }
}
