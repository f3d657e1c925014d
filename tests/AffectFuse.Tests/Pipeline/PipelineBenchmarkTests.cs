using AffectFuse.Benchmarks;
using AffectFuse.Features;
using Xunit;

namespace AffectFuse.Tests.Pipeline;

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
    public void LoopingMakesALongerVideoWithTheSameStreams()
    {
        string looped = PipelineBenchmark.Loop(media.Video, 20, media.PathOf("looped.mp4"));
        int frames = PipelineMedia.CountFrames(looped);
        Assert.InRange(frames, 495, 505); // 20 s at 25 fps; stream copy cuts at a packet boundary
        Assert.True(new AffectFuse.Decoding.AudioDecoder().HasAudioTrack(looped));
    }
}
