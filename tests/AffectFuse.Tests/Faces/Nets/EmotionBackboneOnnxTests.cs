using System.Text.Json;
using AffectFuse.Faces.Nets;
using AffectFuse.Setup;
using Xunit;
using static AffectFuse.Tests.Faces.Nets.Differences;
using Xunit.Abstractions;
using Microsoft.ML.OnnxRuntime;
using static AffectFuse.Tests.Faces.Nets.TinyTfjsGraph;
using static TorchSharp.torch;

namespace AffectFuse.Tests.Faces.Nets;

public class EmotionBackboneOnnxTests(ITestOutputHelper output)
{
    // EmotionBackboneTests' bars: 1e-4 against TF.js on every output, 1e-5 between batched and single runs.
    private const double Tolerance = 1e-4;
    private const double BatchTolerance = 1e-5;
    private const int Width = EmotionBackbone.FeatureSize;
    private const int Classes = EmotionBackbone.ClassCount;

    private sealed record Reference(string[] Names, float[][] Pixels, float[][] Probabilities, float[][] Pooled);

    /// <summary>tools/tfjs-reference/reference.js's output (the fixture EmotionBackboneTests reads): TF.js 4.22.0 (cpu) on four inputs.</summary>
    private static Reference LoadReference()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "tfjs-emotion-reference.json")));
        var root = doc.RootElement;
        float[][] Rows(JsonElement e) => [.. e.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray())];
        var outputs = root.GetProperty("outputs");
        return new Reference(
            [.. root.GetProperty("inputs").GetProperty("names").EnumerateArray().Select(n => n.GetString()!)],
            Rows(root.GetProperty("inputs").GetProperty("pixels")),
            Rows(outputs.GetProperty("Identity")),
            Rows(outputs.GetProperty($"mean({EmotionBackbone.PooledNode}, [1,2])")));
    }

    [Fact]
    public void AgreesWithTorchSharpAndTfjs()
    {
        var reference = LoadReference();
        int n = reference.Pixels.Length;
        float[] pixels = [.. reference.Pixels.SelectMany(p => p)];
        using var onnx = EmotionBackboneOnnx.Open(ModelStore.Open());
        using var torch = EmotionBackbone.Open(ModelStore.Open());
        float[] rows = onnx.Run(pixels, n);
        float[] torchRows = torch.Extract(pixels, n);
        Assert.Equal(n * Width, rows.Length);

        float worstTorch = 0, worstTfjs = 0;
        for (int i = 0; i < n; i++)
        {
            var row = rows.AsSpan(i * Width, Width);
            float dt = MaxDiff(row, torchRows.AsSpan(i * Width, Width));
            float dp = MaxDiff(row[..Classes], reference.Probabilities[i]);
            float dq = MaxDiff(row[Classes..], reference.Pooled[i]);
            output.WriteLine($"{reference.Names[i]}: max |diff| vs TorchSharp {dt:E2}; vs TF.js probabilities {dp:E2}, pooled {dq:E2}");
            Assert.True(dt <= Tolerance, $"{reference.Names[i]}: ONNX and TorchSharp rows differ by {dt}");
            Assert.True(dp <= Tolerance, $"{reference.Names[i]}: probabilities differ from TF.js by {dp}");
            Assert.True(dq <= Tolerance, $"{reference.Names[i]}: pooled activation differs from TF.js by {dq}");
            worstTorch = Math.Max(worstTorch, dt);
            worstTfjs = Math.Max(worstTfjs, Math.Max(dp, dq));
        }
        output.WriteLine($"largest difference: {worstTorch:E3} from TorchSharp, {worstTfjs:E3} from TF.js");
        int face = Array.IndexOf(reference.Names, "astronaut-face");
        var probabilities = rows.AsSpan(face * Width, Classes).ToArray();
        Assert.Equal("happy", EmotionBackbone.ClassNames[Array.IndexOf(probabilities, probabilities.Max())]);
    }

    [Fact]
    public void BatchOfNEqualsNSingleRuns()
    {
        var reference = LoadReference();
        // The fixture's four crops and a mirrored face, as EmotionBackboneTests uses.
        var crops = reference.Pixels.ToList();
        crops.Add([.. Enumerable.Range(0, 64 * 64).Select(i => reference.Pixels[3][(i / 64) * 64 + 63 - i % 64])]);
        using var onnx = EmotionBackboneOnnx.Open(ModelStore.Open());
        // A longer, reused input buffer and an output buffer with room to spare, as extraction passes them.
        float[] input = [.. crops.SelectMany(c => c), .. new float[64 * 64]];
        var batched = new float[(crops.Count + 1) * Width];
        onnx.Run(input, crops.Count, batched);
        for (int i = 0; i < crops.Count; i++)
        {
            float[] single = onnx.Run(crops[i], 1);
            float diff = MaxDiff(batched.AsSpan(i * Width, Width), single);
            Assert.True(diff <= BatchTolerance, $"crop {i}: batched and single runs differ by {diff}");
            Assert.Equal(1f, single[..Classes].Sum(), 4);
        }
        Assert.All(batched.AsSpan(crops.Count * Width).ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void RejectsShortBuffers()
    {
        using var onnx = EmotionBackboneOnnx.Open(ModelStore.Open());
        Assert.Throws<ArgumentException>(() => onnx.Run(new float[64 * 64], 2));
        Assert.Throws<ArgumentException>(() => onnx.Run(new float[64 * 64], 1, new float[Width - 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => onnx.Run(new float[64 * 64], 0));
    }
    [Fact]
    public void UnsupportedOpIsNamed()
    {
        using var g = new TinyTfjsGraph();
        g.Placeholder("x", -1, 4).Node("mystery", "Erf", ["x"], []).Node("Identity", "Identity", ["mystery"], []);
        var e = Assert.Throws<AffectFuseException>(() => TfjsGraphOnnx.Build(TfjsGraphModelFile.Load(g.Write())));
        Assert.Contains("'Erf'", e.Message);
        Assert.Contains("'mystery'", e.Message);
    }

    [Fact]
    public void SamePaddingMatchesTheTorchSharpImporter()
    {
        // 5×4 input, 3×3 windows at stride 2: TF pads unevenly (more after); conv + max pool summed, as in the mini-Xception.
        using var g = new TinyTfjsGraph();
        var rng = new Random(3);
        g.Placeholder("x", -1, 5, 4, 2)
            .Const("w", [3, 3, 2, 3], [.. Enumerable.Range(0, 54).Select(_ => (float)rng.NextDouble() - 0.5f)])
            .Const("b", [3], [0.1f, -0.2f, 0.3f])
            .Const("dw", [3, 3, 2, 1], [.. Enumerable.Range(0, 18).Select(_ => (float)rng.NextDouble() - 0.5f)])
            .Node("conv", "_FusedConv2D", ["x", "w", "b"], new()
            {
                ["fused_ops"] = Strings("BiasAdd", "Relu"), ["padding"] = S("SAME"), ["strides"] = Ints(1, 2, 2, 1),
            })
            .Node("depthwise", "DepthwiseConv2dNative", ["x", "dw"], new() { ["padding"] = S("SAME"), ["strides"] = Ints(1, 1, 1, 1) })
            .Node("pool", "MaxPool", ["depthwise"], new() { ["ksize"] = Ints(1, 3, 3, 1), ["strides"] = Ints(1, 2, 2, 1), ["padding"] = S("SAME") })
            .Node("pointwise", "_FusedConv2D", ["pool", "w1"], new() { ["fused_ops"] = Strings(), ["padding"] = S("VALID") })
            .Const("w1", [1, 1, 2, 3], [1f, 0f, 0.5f, 0f, 1f, -0.5f])
            .Node("sum", "AddV2", ["conv", "pointwise"], [])
            .Node("out", "Relu", ["sum"], []);
        string path = g.Write();
        var file = TfjsGraphModelFile.Load(path);
        using var torchModel = new TfjsGraphModel(file);
        float[] pixels = [.. Enumerable.Range(0, 2 * 5 * 4 * 2).Select(_ => (float)rng.NextDouble() * 4 - 2)];
        using var x = tensor(pixels, [2, 5, 4, 2]);
        using var expected = torchModel.forward(x).contiguous();

        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(TfjsGraphOnnx.Build(file), options);
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [2, 5, 4, 2]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["input"], [input], ["output"]);
        Assert.Equal(expected.shape, results[0].GetTensorTypeAndShape().Shape);
        float diff = MaxDiff(results[0].GetTensorDataAsSpan<float>(), expected.data<float>().ToArray());
        output.WriteLine($"tiny SAME graph: max |diff| {diff:E2}");
        Assert.True(diff <= 1e-5, $"ONNX and TorchSharp differ by {diff}");
    }
}
