using AffectFuse.Benchmarks;
using AffectFuse.Features;
using Xunit;
using AffectFuse.Tests.Fixtures;

namespace AffectFuse.Tests.Benchmarks;

[Collection(PipelineMediaCollection.Name)]
public class PipelineBenchmarkTests(PipelineMedia media)
{
    [Fact]
    public void DecodeMeasurementCountsEveryFrameAndReadsPeakMemoryAndCpu()
    {
        var m = PipelineBenchmark.Measure(PipelineStage.Decode, media.Video, null, new ExtractionOptions());
        Assert.Equal(PipelineMedia.Frames, m.Frames);
        Assert.Equal(8.0, m.VideoSeconds, 2);
        Assert.True(m.PeakRssBytes > 0);
        Assert.True(m.CpuSeconds > 0);
        Assert.Null(m.Statistics);
    }

    [Fact]
    public void ExtractMeasurementSplitsItsCpuTimeIntoTheStepsOfThePath()
    {
        var m = PipelineBenchmark.Measure(PipelineStage.Extract, media.Video, null, new ExtractionOptions());
        var stages = m.Stages!;
        Assert.Equal(["Decode"], stages.Where(s => s.Thread == "decoder").Select(s => s.Stage));
        Assert.Equal(["Detect", "Track", "Align"], stages.Where(s => s.Thread == "frames").Select(s => s.Stage));
        // Decoding runs on its own thread, busy for part of the extraction.
        Assert.InRange(m.Statistics!.DecoderBusySeconds, 1e-3, m.Statistics.WallSeconds);
        Assert.Contains(stages, s => s is { Stage: "FaceApiExpression", Thread: "face nets", CpuSeconds: > 0 });
        Assert.Contains(stages, s => s is { Stage: "Vad", Thread: "audio", CpuSeconds: > 0 });
        Assert.DoesNotContain(stages, s => s.Stage == "Model");
        Assert.True(m.ChildCpuSeconds >= 0);
        Assert.True(m.JitSeconds >= 0);
        Assert.Equal(m.CpuSeconds - m.ChildCpuSeconds - m.JitSeconds - stages.Sum(s => s.CpuSeconds), m.UnattributedCpuSeconds!.Value, 9);
        // The steps account for most of the CPU time, never for more than the process used.
        Assert.InRange(stages.Sum(s => s.CpuSeconds) + m.ChildCpuSeconds, 0.3 * m.CpuSeconds, 1.05 * m.CpuSeconds + 0.02);
    }

    [Fact]
    public void TheReportCarriesTheMachinesLoadBeforeAndAfter()
    {
        var stages = new List<PipelineStage>();
        PipelineMeasurement Fake(PipelineStage stage, string video, string model, AffectFuse.Faces.FaceSelection? face)
        {
            stages.Add(stage);
            return new PipelineMeasurement(stage, video, 100, 4, stage == PipelineStage.Decode ? 0.1 : 0.4, 0.5, 1, null);
        }
        var report = PipelineBenchmark.Run(new PipelineBenchmarkSettings { Video = media.Video, SkipMemoryScaling = true }, Fake);
        Assert.Equal([PipelineStage.Decode, PipelineStage.Extract, PipelineStage.ExtractAndModel], stages);
        Assert.Equal(0.25, report.FractionOfDecode, 9);
        // /proc/loadavg is there on Linux, where the tests run.
        Assert.InRange(report.LoadAverage.Before, 0, 1000);
        Assert.InRange(report.LoadAverage.After, 0, 1000);
    }

    [Fact]
    public void LoopingMakesALongerVideoWithTheSameStreams()
    {
        string looped = PipelineBenchmark.Loop(media.Video, 20, media.PathOf("looped.mp4"));
        int frames = PipelineMedia.CountFrames(looped);
        Assert.InRange(frames, 495, 505); // 20 s at 25 fps; stream copy cuts at a packet boundary
        Assert.True(new AffectFuse.Decoding.AudioDecoder().HasAudioTrack(looped));
    }

    [Fact]
    public void TheClipBesideItsMirrorIsATwoPersonClipWithTheSameSound()
    {
        string two = PipelineBenchmark.BesideItsMirror(media.Video, media.PathOf("two-persons.mp4"));
        using (var decoder = AffectFuse.Decoding.VideoDecoder.Open(two))
            Assert.Equal((2 * PipelineMedia.Width, PipelineMedia.Height), (decoder.Info.Width, decoder.Info.Height));
        Assert.Equal(PipelineMedia.Frames, PipelineMedia.CountFrames(two));
        Assert.True(new AffectFuse.Decoding.AudioDecoder().HasAudioTrack(two));
        using var pipeline = new FeatureExtractionPipeline(new ExtractionOptions { Face = AffectFuse.Faces.FaceSelection.All });
        Assert.Equal(2, pipeline.ExtractPeople(two).Count);
    }
}
