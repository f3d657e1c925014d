using AffectFuse.Audio;
using AffectFuse.Features;
using AffectFuse.Workflows;
using Xunit;

namespace AffectFuse.Tests.Workflows;

/// <summary>A look-ahead of L is spent so that no label reads input past its frame's time + L, and a long one reaches
/// the file's features.</summary>
public class LiveLookaheadTests
{
    private static readonly AudioFeatureOptions Audio = new() { Groups = AudioFeatureGroups.Prosody | AudioFeatureGroups.SpeechEmbedding };

    [Theory]
    [InlineData(25.0)]
    [InlineData(30.0)]
    [InlineData(10.0)]
    [InlineData(1.0)]
    public void NoPartReadsPastTheLookAhead(double fps)
    {
        var extraction = new ExtractionOptions();
        foreach (double seconds in new[] { 0, 0.04, 0.1, 0.25, 0.5, 1, 2, 5, 60 })
        {
            var l = LiveLookahead.For(seconds, fps, extraction, Audio);
            Assert.Equal((int)Math.Round(seconds * fps), l.Frames);
            Assert.InRange(l.TrackerHold, 0, extraction.DetectEvery - 1);
            Assert.InRange(l.PredictorFrames, 0, l.Frames);
            // Video: the voting's last frame plus the tracker's hold; sound: the voting's last frame's time plus the horizon.
            Assert.True(l.PredictorFrames + l.TrackerHold <= l.Frames, $"{seconds} s at {fps} fps: {l}");
            Assert.True(l.PredictorFrames / fps + l.AudioHorizonSeconds <= l.Frames / fps + 1e-9, $"{seconds} s at {fps} fps: {l}");
        }
    }

    [Fact]
    public void ALongLookAheadReadsAllTheSoundAFileRowReads()
    {
        var l = LiveLookahead.For(10, 25, new ExtractionOptions(), Audio);
        Assert.True(l.AudioHorizonSeconds >= AudioFeatureStream.FullHorizonSeconds(Audio));
        Assert.Equal(250 - (int)Math.Ceiling(AudioFeatureStream.FullHorizonSeconds(Audio) * 25), l.PredictorFrames);
        var none = LiveLookahead.For(0, 25, new ExtractionOptions(), Audio);
        Assert.Equal(new LiveLookahead(0, 0, 0, 0), none);
    }
}
