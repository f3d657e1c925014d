using AffectFuse.Audio;
using Xunit;

namespace AffectFuse.Tests.Audio;

/// <summary>The loudness envelope on a stream: the log RMS around a frame's time from the chunks that have passed, floored
/// 40 dB below the loudest frame so far.</summary>
public sealed class LiveLoudnessTests
{
    [Fact]
    public void ReadsTheRmsAroundEachTimeAndFloorsPausesBelowTheLoudestSoFar()
    {
        const int rate = 16000;
        // 1 s of a 200-Hz tone at amplitude 0.5, then 1 s of silence, in chunks of odd sizes.
        var pcm = Enumerable.Range(0, 2 * rate).Select(i => i < rate ? 0.5f * MathF.Sin(2 * MathF.PI * 200 * i / rate) : 0f).ToArray();
        var loudness = new LiveLoudness();
        var chunks = Enumerable.Range(0, (pcm.Length + 1233) / 1234).Select(c => pcm[(c * 1234)..Math.Min(pcm.Length, (c + 1) * 1234)]);
        using var passing = loudness.Tap(chunks).GetEnumerator();
        void ReadTo(double seconds)
        {
            int read = 0;
            while (read < (seconds + 0.02) * rate && passing.MoveNext())
                read += 1234;
        }
        ReadTo(2);
        // Only the last second is kept: the tone has gone by, the silence is at the floor of the loudest (none yet).
        float silent = loudness.At(1.5);
        Assert.Equal(MathF.Log(1e-5f), silent, 1e-4f);

        var again = new LiveLoudness();
        using var second = again.Tap([pcm[..(rate / 2)], pcm[(rate / 2)..]]).GetEnumerator();
        second.MoveNext();
        Assert.Equal(MathF.Log(0.5f / MathF.Sqrt(2)), again.At(0.25), 0.01f);
        second.MoveNext();
        Assert.Equal(MathF.Log(0.5f / MathF.Sqrt(2)) - 4.6f, again.At(1.5), 0.01f); // a pause: 40 dB under the tone
    }
}
