using System.Text.Json;
using AffectFuse.Faces.Nets.FaceApi;
using AffectFuse.Setup;
using Microsoft.ML.OnnxRuntime;
using Xunit;
using static AffectFuse.Tests.Faces.Nets.Differences;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AffectFuse.Tests.Faces.Nets;

public class FaceExpressionOnnxTests(ITestOutputHelper output)
{
    // The bars FaceApiTests holds the TorchSharp port to: 2e-6 absolute on probabilities, 5e-6 relative on the bottleneck.
    private const double ProbabilityTolerance = 2e-6;
    private const double RelativeTolerance = 5e-6;
    private const int Classes = FaceExpressionNet.ClassCount;

    private sealed record Reference(string[] Names, float[][] Rgb, float[][] Probabilities, float[][] Bottleneck);

    /// <summary>tools/faceapi-reference/reference.js's output: face-api 1.7.15 on TF.js 4.22.0 (cpu) on four fixed inputs.</summary>
    private static Reference LoadReference()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "faceapi-reference.json")));
        var outputs = doc.RootElement.GetProperty("outputs");
        float[][] Rows(string name) => outputs.GetProperty(name).EnumerateArray()
            .Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        var inputs = doc.RootElement.GetProperty("inputs");
        return new Reference(
            inputs.GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToArray(),
            inputs.GetProperty("rgbBase64").EnumerateArray().Select(b => Convert.FromBase64String(b.GetString()!).Select(v => (float)v).ToArray()).ToArray(),
            Rows("expressionProbabilities"), Rows("expressionBottleneck"));
    }

    private static float[][] Split(float[] flat, int rows) =>
        [.. Enumerable.Range(0, rows).Select(i => flat.AsSpan(i * FaceExpressionNet.FeatureSize, FaceExpressionNet.FeatureSize).ToArray())];

    private static float[][] RunOnnx(FaceExpressionOnnx net, IReadOnlyList<float[]> crops) =>
        Split(net.Run([.. crops.SelectMany(c => c)], crops.Count), crops.Count);

    private static float[][] RunTorch(IReadOnlyList<float[]> crops)
    {
        using var net = FaceExpressionNet.Open(ModelStore.Open());
        using var scope = NewDisposeScope();
        using var input = tensor(crops.SelectMany(c => c).ToArray(), [crops.Count, 112, 112, 3]);
        return Split(net.forward(input).data<float>().ToArray(), crops.Count);
    }

    /// <summary>Checks one engine's rows against expected probabilities and bottlenecks and prints the largest differences.</summary>
    private void AssertClose(string against, float[][] rows, float[][] probabilities, float[][] bottlenecks)
    {
        float worstP = 0, worstB = 0, worstRelative = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            float dp = MaxDiff(rows[i].AsSpan(0, Classes), probabilities[i]);
            float db = MaxDiff(rows[i].AsSpan(Classes), bottlenecks[i]);
            (worstP, worstB) = (Math.Max(worstP, dp), Math.Max(worstB, db));
            float relative = RelDiff(rows[i].AsSpan(Classes), bottlenecks[i]);
            worstRelative = Math.Max(worstRelative, relative);
            Assert.True(dp <= ProbabilityTolerance, $"row {i} vs {against}: probabilities differ by {dp}");
            Assert.True(relative <= RelativeTolerance, $"row {i} vs {against}: bottleneck differs by {db}");
        }
        output.WriteLine($"vs {against}: max |diff| probabilities {worstP:E2}, bottleneck {worstB:E2} (relative {worstRelative:E2})");
    }

    [Theory]
    [InlineData(GraphOptimizationLevel.ORT_ENABLE_ALL)]
    [InlineData(GraphOptimizationLevel.ORT_ENABLE_EXTENDED)]
    public void AgreesWithFaceApiAndWithTheTorchSharpPort(GraphOptimizationLevel level)
    {
        var reference = LoadReference();
        using var net = FaceExpressionOnnx.Open(ModelStore.Open(), level);
        var rows = RunOnnx(net, reference.Rgb);
        output.WriteLine(level.ToString());
        AssertClose("face-api", rows, reference.Probabilities, reference.Bottleneck);
        var torch = RunTorch(reference.Rgb);
        AssertClose("TorchSharp", rows, [.. torch.Select(r => r[..Classes])], [.. torch.Select(r => r[Classes..])]);
        int face = Array.IndexOf(reference.Names, "astronaut-face");
        var p = rows[face][..Classes];
        Assert.Equal("happy", FaceExpressionNet.ClassNames[Array.IndexOf(p, p.Max())]);
    }

    [Theory]
    [InlineData(GraphOptimizationLevel.ORT_ENABLE_ALL)]
    [InlineData(GraphOptimizationLevel.ORT_ENABLE_EXTENDED)]
    public void BatchOfNEqualsNSingleRuns(GraphOptimizationLevel level)
    {
        var reference = LoadReference();
        var face = reference.Rgb[3];
        var mirrored = new float[face.Length];
        for (int y = 0; y < 112; y++)
            for (int x = 0; x < 112; x++)
                for (int c = 0; c < 3; c++)
                    mirrored[(y * 112 + x) * 3 + c] = face[(y * 112 + 111 - x) * 3 + c];
        var crops = reference.Rgb.Append(mirrored).ToList();
        using var net = FaceExpressionOnnx.Open(ModelStore.Open(), level);
        var batched = RunOnnx(net, crops);
        float worst = 0;
        for (int i = 0; i < crops.Count; i++)
        {
            var single = RunOnnx(net, [crops[i]])[0];
            worst = Math.Max(worst, RelDiff(batched[i], single));
        }
        output.WriteLine($"{level}: batch of {crops.Count} vs single runs, max relative |diff| {worst:E2}");
        Assert.True(worst <= 1e-5, $"batched and single runs differ by {worst} (relative)");
    }

    [Fact]
    public void ReusedLongerBuffersGiveTheSameRows()
    {
        var reference = LoadReference();
        using var net = FaceExpressionOnnx.Open(ModelStore.Open());
        var expected = net.Run(reference.Rgb[0], 1);
        float[] input = [.. reference.Rgb[0], .. reference.Rgb[1]];
        var features = Enumerable.Repeat(float.NaN, 3 * FaceExpressionNet.FeatureSize).ToArray();
        net.Run(input, 1, features);
        Assert.Equal(expected, features[..FaceExpressionNet.FeatureSize]);
        Assert.All(features[FaceExpressionNet.FeatureSize..], v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void TooShortBuffersAreRejected()
    {
        using var net = FaceExpressionOnnx.Open(ModelStore.Open());
        var crop = new float[112 * 112 * 3];
        Assert.Throws<ArgumentException>(() => net.Run(crop, 2));
        Assert.Throws<ArgumentException>(() => net.Run(crop, 1, new float[FaceExpressionNet.FeatureSize - 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Run(crop, 0));
    }

    [Fact]
    public void ManifestThatDoesNotFitTheNetNamesTheFile()
    {
        // The landmark net's manifest: the same dense blocks, but a 256 → 136 fully connected layer.
        string manifest = ModelStore.Open().FaceLandmarkManifest;
        var e = Assert.Throws<AffectFuseException>(() => FaceExpressionOnnx.FromManifest(manifest));
        Assert.Equal(manifest, e.File);
        Assert.Contains("fc is 256 → 136", e.Message);
    }
}
