using AffectFuse.Data;

namespace AffectFuse.Tests.Data;

/// <summary>Feature sets with values from a formula that is exact in float16, float32 and float64, so Python can check them too.</summary>
public static class TestFeatures
{
    public static float VisualValue(int t, int d) => ((t * 31 + d * 7) % 97 - 48) / 16f;

    public static float AudioValue(int t, int d) => ((t * 13 + d * 5) % 89 - 44) / 8f;

    public static VideoFeatures Make(string id, int frames, int visualDim = 4, int audioDim = 3, double fps = 25)
    {
        var visual = new float[frames * visualDim];
        var audio = new float[frames * audioDim];
        for (int t = 0; t < frames; t++)
        {
            for (int d = 0; d < visualDim; d++) visual[t * visualDim + d] = VisualValue(t, d);
            for (int d = 0; d < audioDim; d++) audio[t * audioDim + d] = AudioValue(t, d);
        }
        return new VideoFeatures
        {
            VideoId = id,
            Visual = FeatureMatrix.Of(visual, visualDim),
            VisualMask = Enumerable.Range(0, frames).Select(t => t % 3 != 0).ToArray(),
            Audio = FeatureMatrix.Of(audio, audioDim),
            AudioMask = Enumerable.Range(0, frames).Select(t => t % 5 != 1).ToArray(),
            Timestamps = Enumerable.Range(0, frames).Select(t => t / fps).ToArray(),
            Meta = new FeatureMeta { Fps = fps, VisualFeatures = "test-visual", VisualVersion = "2", AudioFeatures = "test-audio", AudioVersion = "3" },
        };
    }
}
