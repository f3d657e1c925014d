using System.Text.Json;
using AffectFuse.Features.Visual;
using AffectFuse.Setup;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;
using AffectFuse.Faces.Nets;

namespace AffectFuse.Tests.Faces.Nets;

public class EmotionBackboneTests(ITestOutputHelper output)
{
    private const string LogitsNode = "StatefulPartitionedCall/model_1/global_average_pooling2d_1/Mean";
    private const double Tolerance = 1e-4;

    private sealed record Reference(string[] Names, float[][] Pixels, float[][] Probabilities, float[][] Logits, float[][] Pooled);

    /// <summary>tools/tfjs-reference/reference.js's output: TF.js 4.22.0 (cpu backend) on four fixed inputs.</summary>
    private static Reference LoadReference()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "tfjs-emotion-reference.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        float[][] Rows(JsonElement e) => e.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        var outputs = root.GetProperty("outputs");
        return new Reference(
            root.GetProperty("inputs").GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToArray(),
            Rows(root.GetProperty("inputs").GetProperty("pixels")),
            Rows(outputs.GetProperty("Identity")),
            Rows(outputs.GetProperty(LogitsNode)),
            Rows(outputs.GetProperty($"mean({EmotionBackbone.PooledNode}, [1,2])")));
    }

    private static float MaxDiff(float[] actual, float[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        return actual.Zip(expected).Max(p => Math.Abs(p.First - p.Second));
    }

    [Fact]
    public void AgreesWithTfjsOnEveryOutput()
    {
        var reference = LoadReference();
        using var backbone = EmotionBackbone.Open(ModelStore.Open());
        int n = reference.Pixels.Length;
        float[] pixels = reference.Pixels.SelectMany(p => p).ToArray();
        float[] features = backbone.Extract(pixels, n);

        using var graph = TfjsGraphModel.Load(ModelStore.Open().EmotionGraph);
        using var input = tensor(pixels, [n, 64, 64, 1]);
        using var normalized = EmotionBackbone.Normalize(input);
        var logits = graph.Run(normalized, LogitsNode)[0].data<float>().ToArray();

        float worst = 0;
        for (int i = 0; i < n; i++)
        {
            var row = features.AsSpan(i * EmotionBackbone.FeatureSize, EmotionBackbone.FeatureSize);
            float dp = MaxDiff(row[..EmotionBackbone.ClassCount].ToArray(), reference.Probabilities[i]);
            float dq = MaxDiff(row[EmotionBackbone.ClassCount..].ToArray(), reference.Pooled[i]);
            float dl = MaxDiff(logits.AsSpan(i * 7, 7).ToArray(), reference.Logits[i]);
            output.WriteLine($"{reference.Names[i]}: max |diff| probabilities {dp:E2}, logits {dl:E2}, pooled {dq:E2}");
            Assert.True(dp <= Tolerance, $"{reference.Names[i]}: probabilities differ by {dp}");
            Assert.True(dl <= Tolerance, $"{reference.Names[i]}: logits differ by {dl}");
            Assert.True(dq <= Tolerance, $"{reference.Names[i]}: pooled activation differs by {dq}");
            worst = Math.Max(worst, Math.Max(dp, Math.Max(dl, dq)));
        }
        output.WriteLine($"largest difference from TF.js: {worst:E3}");
        // The face crop is a smiling face; the model must say so (guards against a fixture that is all-neutral noise).
        int face = Array.IndexOf(reference.Names, "astronaut-face");
        var faceProbabilities = features.AsSpan(face * EmotionBackbone.FeatureSize, EmotionBackbone.ClassCount).ToArray();
        Assert.Equal("happy", EmotionBackbone.ClassNames[Array.IndexOf(faceProbabilities, faceProbabilities.Max())]);
    }

    [Fact]
    public void BatchOfNEqualsNSingleRuns()
    {
        var reference = LoadReference();
        using var backbone = new EmotionBackbone(TfjsGraphModel.Load(ModelStore.Open().EmotionGraph)) { BatchSize = 3 };
        // Five crops: the fixture's four and a mirrored face, so the batch splits 3 + 2.
        var crops = reference.Pixels.ToList();
        crops.Add(Enumerable.Range(0, 64 * 64).Select(i => reference.Pixels[3][(i / 64) * 64 + 63 - i % 64]).ToArray());
        byte[] bytes = crops.SelectMany(c => c).Select(v => (byte)v).ToArray();

        float[] batched = backbone.Extract(bytes, crops.Count);
        Assert.Equal(crops.Count * EmotionBackbone.FeatureSize, batched.Length);
        for (int i = 0; i < crops.Count; i++)
        {
            float[] single = backbone.Extract(crops[i], 1);
            float diff = MaxDiff(batched.AsSpan(i * EmotionBackbone.FeatureSize, EmotionBackbone.FeatureSize).ToArray(), single);
            Assert.True(diff <= 1e-5, $"crop {i}: batched and single runs differ by {diff}");
            Assert.Equal(1f, single[..EmotionBackbone.ClassCount].Sum(), 4);
        }
    }

    [Fact]
    public void FeatureNamesMatchTheLayout()
    {
        Assert.Equal(EmotionBackbone.FeatureSize, EmotionBackbone.FeatureNames.Count);
        Assert.Equal("emotion_angry", EmotionBackbone.FeatureNames[0]);
        Assert.Equal("emotion_neutral", EmotionBackbone.FeatureNames[6]);
        Assert.Equal("pool_000", EmotionBackbone.FeatureNames[7]);
        Assert.Equal(EmotionBackbone.FeatureNames.Count, EmotionBackbone.FeatureNames.Distinct().Count());
    }
}
