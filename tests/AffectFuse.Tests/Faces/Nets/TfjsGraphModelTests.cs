using AffectFuse.Features.Visual;
using AffectFuse.Setup;
using Xunit;
using static AffectFuse.Tests.Faces.Nets.TinyTfjsGraph;
using static TorchSharp.torch;
using AffectFuse.Faces.Nets;

namespace AffectFuse.Tests.Faces.Nets;

public class TfjsGraphModelTests
{
    [Fact]
    public void UnsupportedOpIsNamedWithItsNode()
    {
        using var g = new TinyTfjsGraph();
        g.Placeholder("x", -1, 4)
            .Node("mystery", "Erf", ["x"], [])
            .Node("Identity", "Identity", ["mystery"], []);
        var e = Assert.Throws<AffectFuseException>(() => TfjsGraphModel.Load(g.Write()));
        Assert.Equal(g.ModelPath, e.File);
        Assert.Contains("'Erf'", e.Message);
        Assert.Contains("'mystery'", e.Message);
    }

    [Fact]
    public void UnsupportedFusedOpIsNamedWithItsNode()
    {
        using var g = new TinyTfjsGraph();
        g.Placeholder("x", -1, 4, 4, 1)
            .Const("w", [1, 1, 1, 1], [1f])
            .Const("b", [1], [0f])
            .Node("conv", "_FusedConv2D", ["x", "w", "b"], new() { ["fused_ops"] = Strings("BiasAdd", "LeakyRelu"), ["padding"] = S("VALID") });
        var e = Assert.Throws<AffectFuseException>(() => TfjsGraphModel.Load(g.Write()));
        Assert.Contains("'LeakyRelu'", e.Message);
        Assert.Contains("'conv'", e.Message);
    }

    [Fact]
    public void BadJsonNamesTheFile()
    {
        using var g = new TinyTfjsGraph();
        File.WriteAllText(g.ModelPath, "{\"format\": \"graph-model\", \"modelTopology\": {");
        var e = Assert.Throws<AffectFuseException>(() => TfjsGraphModel.Load(g.ModelPath));
        Assert.Equal(g.ModelPath, e.File);
        Assert.Contains("not valid JSON", e.Problem);
    }

    [Fact]
    public void TruncatedWeightsNameTheBinFile()
    {
        string json = ModelStore.Open().EmotionGraph;
        using var g = new TinyTfjsGraph();
        string copy = Path.Combine(g.Folder, "emotion.json");
        File.Copy(json, copy);
        byte[] bin = File.ReadAllBytes(Path.ChangeExtension(json, ".bin"));
        string truncated = Path.Combine(g.Folder, "emotion.bin");
        File.WriteAllBytes(truncated, bin[..(bin.Length - 1000)]);
        var e = Assert.Throws<AffectFuseException>(() => TfjsGraphModel.Load(copy));
        Assert.Equal(truncated, e.File);
        Assert.Contains("too short", e.Problem);

        File.Delete(truncated);
        e = Assert.Throws<AffectFuseException>(() => TfjsGraphModel.Load(copy));
        Assert.Equal(truncated, e.File);
        Assert.Contains("missing", e.Problem);
    }

    [Fact]
    public void SamePaddingIsAsymmetricLikeTensorFlow()
    {
        // 4×4 input, 3×3 window, stride 2: TF pads 0 before and 1 after (PyTorch's symmetric padding would pad 1 and 1).
        using var g = new TinyTfjsGraph();
        g.Placeholder("x", -1, 4, 4, 1)
            .Const("w", [3, 3, 1, 1], Enumerable.Repeat(1f, 9).ToArray())
            .Const("b", [1], [-50f])
            .Node("conv", "_FusedConv2D", ["x", "w", "b"], new()
            {
                ["fused_ops"] = Strings("BiasAdd", "Relu"), ["padding"] = S("SAME"), ["strides"] = Ints(1, 2, 2, 1),
                ["data_format"] = S("NHWC"),
            })
            .Node("pool", "MaxPool", ["x"], new() { ["ksize"] = Ints(1, 3, 3, 1), ["strides"] = Ints(1, 2, 2, 1), ["padding"] = S("SAME") })
            .Node("sum", "AddV2", ["conv", "pool"], []);
        using var model = TfjsGraphModel.Load(g.Write());

        var pixels = Enumerable.Range(1, 16).Select(v => (float)v).ToArray(); // x[r,c] = 4r + c + 1
        using var x = tensor(pixels, [1, 4, 4, 1]);
        var outputs = model.Run(x, "conv");
        // Sums of the 3×3 windows with the zero row/column after the data, minus 50, through ReLU.
        Assert.Equal([54f - 50, 0f, 72f - 50, 54f - 50], outputs[0].data<float>().ToArray());

        using var negative = x.neg();
        var pooled = model.Run(negative, "pool");
        // Max over the in-bounds part of each window: TF never lets padding win, even against negative values.
        Assert.Equal([1, 2, 2, 1], pooled[0].shape);
        Assert.Equal([-1f, -3f, -9f, -11f], pooled[0].data<float>().ToArray());
    }

    [Fact]
    public void MeanOverAxesKeepsTensorFlowOrder()
    {
        using var g = new TinyTfjsGraph();
        g.Placeholder("x", -1, 2, 3, 4)
            .Const("w", [1, 1, 4, 4], Enumerable.Range(0, 16).Select(i => i % 5 == 0 ? 1f : 0f).ToArray()) // identity 1×1 conv
            .Node("conv", "_FusedConv2D", ["x", "w"], new() { ["fused_ops"] = Strings(), ["padding"] = S("VALID") });
        // Reduction indices are int32 consts; TinyTfjsGraph writes floats, so build this one by hand.
        string path = g.Write();
        string json = File.ReadAllText(path).Replace("\"weights\":[", "\"weights\":[{\"name\":\"axes\",\"shape\":[1],\"dtype\":\"int32\"},");
        json = json.Replace("\"node\":[", "\"node\":[{\"name\":\"axes\",\"op\":\"Const\",\"attr\":{}},"
            + "{\"name\":\"mean\",\"op\":\"Mean\",\"input\":[\"conv\",\"axes\"],\"attr\":{\"keep_dims\":{\"b\":false}}},");
        File.WriteAllText(path, json);
        byte[] bin = File.ReadAllBytes(Path.Combine(g.Folder, "weights.bin"));
        File.WriteAllBytes(Path.Combine(g.Folder, "weights.bin"), [.. BitConverter.GetBytes(2), .. bin]); // reduce W (axis 2)
        using var model = TfjsGraphModel.Load(path);

        using var x = rand(3, 2, 3, 4);
        var mean = model.Run(x, "mean")[0];
        using var expected = x.mean([2]);
        Assert.Equal(expected.shape, mean.shape); // [N, H, C], not PyTorch's [N, C, H]
        Assert.True(expected.allclose(mean, rtol: 0, atol: 1e-6));
    }
}
