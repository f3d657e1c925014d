using AffectFuse.Decoding;
using Xunit;

namespace AffectFuse.Tests.Decoding;

/// <summary>The frame rule of files without a video stream, and the timeline that applies it while the sound decodes.</summary>
public class AudioOnlyFramesTests
{
    [Theory]
    [InlineData(2.3, 58)]    // frames 0..57: 57 × 0.04 = 2.28 s < 2.3 s
    [InlineData(2.0, 50)]    // frame 50 lies at 2.0 s exactly: not within
    [InlineData(2.04, 51)]   // 2.04 × 25 is 51.000000000000007 in binary: still 51
    [InlineData(0.001, 1)]
    [InlineData(0.0, 0)]
    [InlineData(-1.0, 0)]
    public void EveryFrameWhoseTimeLiesWithinTheDurationCounts(double seconds, int frames)
    {
        Assert.Equal(frames, AudioOnlyFrames.Count(seconds));
    }

    [Fact]
    public void TheDecodedSoundCutsTheContainersDurationButNeverExtendsIt()
    {
        Assert.Equal(25, AudioOnlyFrames.Count(1.0, 1.024));    // an m4a's padded last AAC frame adds no frame
        Assert.Equal(58, AudioOnlyFrames.Count(2.377, 2.3009)); // an mp3's container counts the encoder's delay and padding
        Assert.Equal(58, AudioOnlyFrames.Count(null, 2.3));     // a container that does not say
    }

    [Theory]
    [InlineData(1)]
    [InlineData(640)]
    [InlineData(16000)]
    public void TheTimelineGivesTheRulesFramesWhateverTheChunkingAndPassesEverySampleOn(int chunk)
    {
        const int samples = 36800; // 2.3 s at 16 kHz
        var timeline = new AudioOnlyTimeline(Chunks(samples, chunk), declaredSeconds: null);
        using var pcm = timeline.Chunks().GetEnumerator();
        long passed = 0;
        var times = new List<double>();
        foreach (double time in timeline.Times())
        {
            times.Add(time);
            // An analysis reads ahead of the frames, as AudioFeatureStream does.
            while (passed < (time + 0.3) * AudioDecoder.SampleRate && pcm.MoveNext())
                passed += pcm.Current.Length;
        }
        while (pcm.MoveNext())
            passed += pcm.Current.Length;
        Assert.Equal(samples, passed);
        Assert.Equal(Enumerable.Range(0, 58).Select(AudioOnlyFrames.Time), times);
        Assert.Equal(2.28, times[^1], 12);
    }

    [Fact]
    public void PastTheDeclaredEndTheTimelineStopsWithoutReadingTheRest()
    {
        int pulled = 0;
        IEnumerable<float[]> Counted()
        {
            foreach (var c in Chunks(16000 * 60, 1600))
            {
                pulled++;
                yield return c;
            }
        }
        var timeline = new AudioOnlyTimeline(Counted(), declaredSeconds: 1.0);
        Assert.Equal(25, timeline.Times().Count());
        Assert.InRange(pulled, 10, 11); // the first second, not the minute behind it
    }

    private static IEnumerable<float[]> Chunks(int samples, int chunk)
    {
        for (int start = 0; start < samples; start += chunk)
            yield return new float[Math.Min(chunk, samples - start)];
    }
}
