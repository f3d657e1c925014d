using System.Text.Json;
using AffectFuse.Features.Visual;
using AffectFuse.Faces.Nets.FaceApi;
using AffectFuse.Setup;
using Xunit;
using static AffectFuse.Tests.Faces.Nets.Differences;
using Xunit.Abstractions;
using static TorchSharp.torch;
using AffectFuse.Faces.Nets;

namespace AffectFuse.Tests.Faces.Nets;

public class FaceApiTests(ITestOutputHelper output)
{
    // Bars a few times above what was measured against face-api on TF.js's cpu backend (see the test output): at most
    // 3.3e-7 on probabilities, 8.7e-7 relative on the bottleneck, 2.4e-7 relative on landmarks (both nets).
    private const double ProbabilityTolerance = 2e-6;
    private const double RelativeTolerance = 5e-6;

    private sealed record Reference(string[] Names, byte[][] Rgb, float[][] Probabilities, float[][] ExpressionBottleneck,
        float[][] Landmarks, float[][] LandmarkBottleneck, float[][] TinyLandmarks, float[][] TinyBottleneck);

    /// <summary>tools/faceapi-reference/reference.js's output: face-api 1.7.15 on TF.js 4.22.0 (cpu) on four fixed inputs.</summary>
    private static Reference LoadReference()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "faceapi-reference.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        var outputs = root.GetProperty("outputs");
        float[][] Rows(string name) => outputs.GetProperty(name).EnumerateArray()
            .Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        var inputs = root.GetProperty("inputs");
        return new Reference(
            inputs.GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToArray(),
            inputs.GetProperty("rgbBase64").EnumerateArray().Select(b => Convert.FromBase64String(b.GetString()!)).ToArray(),
            Rows("expressionProbabilities"), Rows("expressionBottleneck"),
            Rows("landmark68Raw"), Rows("landmark68Bottleneck"),
            Rows("landmark68TinyRaw"), Rows("landmark68TinyBottleneck"));
    }

    private static Tensor Batch(IReadOnlyList<byte[]> crops) =>
        tensor(crops.SelectMany(c => c).Select(v => (float)v).ToArray(), [crops.Count, 112, 112, 3]);

    private static float[][] RunRows(nn.Module<Tensor, Tensor> net, IReadOnlyList<byte[]> crops)
    {
        using var scope = NewDisposeScope();
        var result = net.forward(Batch(crops));
        int width = (int)result.shape[1];
        var flat = result.data<float>().ToArray();
        return [.. Enumerable.Range(0, crops.Count).Select(i => flat.AsSpan(i * width, width).ToArray())];
    }

    [Fact]
    public void ExpressionNetAgreesWithFaceApi()
    {
        var reference = LoadReference();
        using var net = FaceExpressionNet.Open(ModelStore.Open());
        var rows = RunRows(net, reference.Rgb);
        for (int i = 0; i < rows.Length; i++)
        {
            float dp = MaxDiff(rows[i].AsSpan(0, FaceExpressionNet.ClassCount), reference.Probabilities[i]);
            float db = RelDiff(rows[i].AsSpan(FaceExpressionNet.ClassCount), reference.ExpressionBottleneck[i]);
            output.WriteLine($"expression {reference.Names[i]}: max |diff| probabilities {dp:E2}, bottleneck relative {db:E2}");
            Assert.True(dp <= ProbabilityTolerance, $"{reference.Names[i]}: probabilities differ by {dp}");
            Assert.True(db <= RelativeTolerance, $"{reference.Names[i]}: bottleneck differs by {db} (relative)");
            Assert.Equal(1f, rows[i][..FaceExpressionNet.ClassCount].Sum(), 4);
        }
        int face = Array.IndexOf(reference.Names, "astronaut-face");
        var p = rows[face][..FaceExpressionNet.ClassCount];
        Assert.Equal("happy", FaceExpressionNet.ClassNames[Array.IndexOf(p, p.Max())]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LandmarkNetAgreesWithFaceApi(bool tiny)
    {
        var reference = LoadReference();
        using var net = FaceLandmarkNet.Open(ModelStore.Open(), tiny);
        var rows = RunRows(net, reference.Rgb);
        var expected = tiny ? reference.TinyLandmarks : reference.Landmarks;
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(2 * FaceLandmarkNet.PointCount, rows[i].Length);
            float d = RelDiff(rows[i], expected[i]);
            output.WriteLine($"{(tiny ? "tiny " : "")}landmarks {reference.Names[i]}: max |diff| {MaxDiff(rows[i], expected[i]):E2} (relative {d:E2})");
            Assert.True(d <= RelativeTolerance, $"{reference.Names[i]}: landmarks differ by {d} (relative)");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AstronautLandmarksLieInsideTheCropWithEyesAboveMouth(bool tiny)
    {
        var reference = LoadReference();
        using var net = FaceLandmarkNet.Open(ModelStore.Open(), tiny);
        var row = RunRows(net, [reference.Rgb[Array.IndexOf(reference.Names, "astronaut-face")]])[0];
        Assert.All(row, v => Assert.InRange(v, 0f, 1f));
        // iBUG 68-point order: 36..47 the eyes, 48..67 the mouth, 30 the nose tip; image y grows downwards.
        float Y(int point) => row[2 * point + 1];
        float X(int point) => row[2 * point];
        float eyes = Enumerable.Range(36, 12).Average(Y);
        float mouth = Enumerable.Range(48, 20).Average(Y);
        output.WriteLine($"{(tiny ? "tiny: " : "")}eyes y {eyes:F3}, nose y {Y(30):F3}, mouth y {mouth:F3}");
        Assert.True(eyes < Y(30) && Y(30) < mouth, $"eyes {eyes}, nose {Y(30)}, mouth {mouth}");
        // Right eye (36..41, image left) left of the left eye (42..47).
        Assert.True(Enumerable.Range(36, 6).Average(X) < Enumerable.Range(42, 6).Average(X));
    }

    [Fact]
    public void BatchOfNEqualsNSingleRuns()
    {
        var reference = LoadReference();
        var store = ModelStore.Open();
        // Five crops: the fixture's four and a mirrored face.
        var face = reference.Rgb[3];
        var mirrored = new byte[face.Length];
        for (int y = 0; y < 112; y++)
            for (int x = 0; x < 112; x++)
                for (int c = 0; c < 3; c++)
                    mirrored[(y * 112 + x) * 3 + c] = face[(y * 112 + 111 - x) * 3 + c];
        var crops = reference.Rgb.Append(mirrored).ToList();
        foreach (var net in new nn.Module<Tensor, Tensor>[] { FaceExpressionNet.Open(store), FaceLandmarkNet.Open(store), FaceLandmarkNet.Open(store, tiny: true) })
        {
            using (net)
            {
                var batched = RunRows(net, crops);
                float worst = 0;
                for (int i = 0; i < crops.Count; i++)
                    worst = Math.Max(worst, RelDiff(batched[i], RunRows(net, [crops[i]])[0]));
                output.WriteLine($"{net.GetName()}: batch of {crops.Count} vs single runs, max relative |diff| {worst:E2}");
                // libtorch may pick other conv kernels for other batch sizes; only float rounding may differ.
                Assert.True(worst <= 1e-5, $"{net.GetName()}: batched and single runs differ by {worst} (relative)");
            }
        }
    }

    [Fact]
    public void FixtureWasMadeWithTheseWeightFiles()
    {
        var store = ModelStore.Open();
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "faceapi-reference.json")));
        var weights = doc.RootElement.GetProperty("weights");
        foreach (var (key, manifest) in new[] { ("expression", store.FaceExpressionManifest), ("landmark68", store.FaceLandmarkManifest), ("landmark68Tiny", store.FaceLandmarkTinyManifest) })
        {
            var entry = weights.GetProperty(key);
            string bin = Path.Combine(Path.GetDirectoryName(manifest)!, entry.GetProperty("bin").GetString()!);
            Assert.Equal(entry.GetProperty("manifestSha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(manifest))));
            Assert.Equal(entry.GetProperty("binSha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(bin))));
        }
    }

    [Fact]
    public void FeatureNamesMatchTheLayout()
    {
        Assert.Equal(263, FaceExpressionNet.FeatureSize);
        Assert.Equal(FaceExpressionNet.FeatureSize, FaceExpressionNet.FeatureNames.Count);
        Assert.Equal("faceapi_neutral", FaceExpressionNet.FeatureNames[0]);
        Assert.Equal("faceapi_surprised", FaceExpressionNet.FeatureNames[6]);
        Assert.Equal("faceapi_feat_000", FaceExpressionNet.FeatureNames[7]);
        Assert.Equal("faceapi_feat_255", FaceExpressionNet.FeatureNames[^1]);
        Assert.Equal(FaceExpressionNet.FeatureNames.Count, FaceExpressionNet.FeatureNames.Distinct().Count());
    }

    [Fact]
    public void WrongInputShapeIsRejected()
    {
        using var net = FaceLandmarkNet.Open(ModelStore.Open(), tiny: true);
        using var gray = zeros(1, 112, 112, 1);
        Assert.Throws<ArgumentException>(() => net.forward(gray));
    }

    // --- weights manifest dequantisation -------------------------------------------------------------------------

    private static string WriteManifest(string dir, string weightsJson, byte[] bin)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "tiny.bin"), bin);
        string manifest = Path.Combine(dir, "tiny-weights_manifest.json");
        File.WriteAllText(manifest, $$"""[{"paths": ["tiny.bin"], "weights": [{{weightsJson}}]}]""");
        return manifest;
    }

    private static IReadOnlyDictionary<string, TfjsGraphModelWeight> ReadManifest(string manifest)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(manifest));
        return TfjsGraphModelWeights.Read(manifest, doc.RootElement);
    }

    private const string MixedWeights =
        """
        {"name": "q8", "shape": [2, 2], "dtype": "float32", "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.25}},
        {"name": "f32", "shape": [1], "dtype": "float32"},
        {"name": "q16", "shape": [2], "dtype": "float32", "quantization": {"dtype": "uint16", "scale": 0.001, "min": 2}},
        {"name": "h", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16"}}
        """;

    private static byte[] MixedBin()
    {
        var bin = new List<byte> { 0, 1, 2, 255 };
        bin.AddRange(BitConverter.GetBytes(3.5f));
        bin.AddRange(BitConverter.GetBytes((ushort)0));
        bin.AddRange(BitConverter.GetBytes((ushort)65535));
        bin.AddRange(BitConverter.GetBytes((Half)1.5));
        bin.AddRange(BitConverter.GetBytes((Half)(-0.25)));
        return [.. bin];
    }

    [Fact]
    public void QuantisedWeightsAreDequantised()
    {
        string dir = Path.Combine(Path.GetTempPath(), "affectfuse-faceapi-" + Guid.NewGuid().ToString("N"));
        try
        {
            var weights = ReadManifest(WriteManifest(dir, MixedWeights, MixedBin()));
            Assert.Equal([-1.25f, -0.75f, -0.25f, 126.25f], weights["q8"].Floats!);
            Assert.Equal([2L, 2L], weights["q8"].Shape);
            Assert.Equal([3.5f], weights["f32"].Floats!);
            Assert.Equal([2f, (float)(65535 * 0.001 + 2)], weights["q16"].Floats!);
            Assert.Equal([1.5f, -0.25f], weights["h"].Floats!);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void TruncatedOrOverlongWeightFileNamesTheFile()
    {
        string dir = Path.Combine(Path.GetTempPath(), "affectfuse-faceapi-" + Guid.NewGuid().ToString("N"));
        try
        {
            var bin = MixedBin();
            string manifest = WriteManifest(dir, MixedWeights, bin[..^1]);
            var e = Assert.Throws<AffectFuseException>(() => ReadManifest(manifest));
            Assert.Equal(Path.Combine(dir, "tiny.bin"), e.File);
            Assert.Contains("truncated", e.Message);

            manifest = WriteManifest(dir, MixedWeights, [.. bin, 0]);
            e = Assert.Throws<AffectFuseException>(() => ReadManifest(manifest));
            Assert.Equal(Path.Combine(dir, "tiny.bin"), e.File);

            manifest = WriteManifest(dir, """{"name": "q", "shape": [1], "dtype": "float32", "quantization": {"dtype": "uint8", "scale": 1}}""", [0]);
            e = Assert.Throws<AffectFuseException>(() => ReadManifest(manifest));
            Assert.Contains("'min'", e.Message);

            manifest = WriteManifest(dir, """{"name": "q", "shape": [1], "dtype": "float32", "quantization": {"dtype": "int4", "scale": 1, "min": 0}}""", [0]);
            Assert.Throws<AffectFuseException>(() => ReadManifest(manifest));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void ManifestThatDoesNotFitTheNetIsRejected()
    {
        var store = ModelStore.Open();
        string dir = Path.Combine(Path.GetTempPath(), "affectfuse-faceapi-" + Guid.NewGuid().ToString("N"));
        try
        {
            // The tiny landmark weights under the full net's name: dense0 has no conv3, so loading must fail by name.
            string model = Path.Combine(dir, "vladmandic-face-api-1.7.15", "model");
            Directory.CreateDirectory(model);
            File.WriteAllText(Path.Combine(model, "face_landmark_68_model-weights_manifest.json"),
                File.ReadAllText(store.FaceLandmarkTinyManifest).Replace("face_landmark_68_tiny_model.bin", "face_landmark_68_model.bin"));
            File.Copy(Path.Combine(Path.GetDirectoryName(store.FaceLandmarkTinyManifest)!, "face_landmark_68_tiny_model.bin"),
                Path.Combine(model, "face_landmark_68_model.bin"));
            var fake = ModelStore.Open(dir);
            var e = Assert.Throws<AffectFuseException>(() => FaceLandmarkNet.Open(fake));
            Assert.Contains("dense0/conv3", e.Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
