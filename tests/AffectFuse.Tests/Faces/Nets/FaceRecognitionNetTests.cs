using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using AffectFuse.Faces.Nets.FaceApi;
using AffectFuse.Setup;
using Xunit;
using static AffectFuse.Tests.Faces.Nets.Differences;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AffectFuse.Tests.Faces.Nets;

public class FaceRecognitionNetTests(ITestOutputHelper output)
{
    // About ten times what was measured against face-api on TF.js's cpu backend (see the test output): at most 2.2e-7
    // absolute over the fixture, on descriptor values up to 0.44 in magnitude (float rounding of a 29-conv net whose sums
    // run in another order); batched against single runs, 2.1e-7. A layout or padding mistake moves values by 1e-2 or more.
    private const float Tolerance = 2e-6f;

    private const int Side = FaceRecognitionNet.InputSize;
    private const int CropBytes = Side * Side * 3;

    private sealed record Reference(string[] Names, byte[][] Rgb, float[][] Descriptors);

    private static string FixturePath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "faceapi-recognition-reference.json");

    /// <summary>tools/faceapi-reference/recognition.js's output: face-api 1.7.15 on TF.js 4.22.0 (cpu) on four fixed inputs.</summary>
    private static Reference LoadReference()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(FixturePath));
        var root = doc.RootElement;
        var inputs = root.GetProperty("inputs");
        Assert.Equal(Side, inputs.GetProperty("size").GetInt32());
        return new Reference(
            inputs.GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToArray(),
            inputs.GetProperty("rgbBase64").EnumerateArray().Select(b => Convert.FromBase64String(b.GetString()!)).ToArray(),
            root.GetProperty("outputs").GetProperty("descriptors").EnumerateArray()
                .Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray());
    }

    private static float[] Row(float[] flat, int i) => flat.AsSpan(i * FaceRecognitionNet.DescriptorSize, FaceRecognitionNet.DescriptorSize).ToArray();

    [Fact]
    public void DescriptorsAgreeWithFaceApi()
    {
        var reference = LoadReference();
        using var net = FaceRecognitionNet.Open(ModelStore.Open());
        var flat = net.Describe([.. reference.Rgb.SelectMany(c => c)], reference.Rgb.Length);
        Assert.Equal(reference.Rgb.Length * FaceRecognitionNet.DescriptorSize, flat.Length);
        float worst = 0;
        for (int i = 0; i < reference.Rgb.Length; i++)
        {
            float d = MaxDiff(Row(flat, i), reference.Descriptors[i]);
            float scale = reference.Descriptors[i].Max(Math.Abs);
            output.WriteLine($"{reference.Names[i]}: max |diff| {d:E2} (largest |value| {scale:F3})");
            Assert.True(d <= Tolerance, $"{reference.Names[i]}: descriptor differs by {d}");
            worst = Math.Max(worst, d);
        }
        output.WriteLine($"largest |diff| over the fixture: {worst:E2}");

        // The tensor entry point (NCHW floats) gives what Describe (HWC bytes) gives.
        using var scope = NewDisposeScope();
        var nchw = tensor(reference.Rgb[3].Select(v => (float)v).ToArray(), [1, Side, Side, 3]).permute(0, 3, 1, 2);
        Assert.Equal(0f, MaxDiff(net.forward(nchw).data<float>().ToArray(), Row(flat, 3)), 6);
    }

    [Fact]
    public void BatchOfNEqualsNSingleRuns()
    {
        var reference = LoadReference();
        using var net = FaceRecognitionNet.Open(ModelStore.Open());
        // Five crops: the fixture's four and a mirrored face.
        var face = reference.Rgb[Array.IndexOf(reference.Names, "astronaut-face")];
        var mirrored = new byte[face.Length];
        for (int y = 0; y < Side; y++)
            for (int x = 0; x < Side; x++)
                for (int c = 0; c < 3; c++)
                    mirrored[(y * Side + x) * 3 + c] = face[(y * Side + Side - 1 - x) * 3 + c];
        var crops = reference.Rgb.Append(mirrored).ToList();
        var batched = net.Describe([.. crops.SelectMany(c => c)], crops.Count);
        float worst = 0;
        for (int i = 0; i < crops.Count; i++)
            worst = Math.Max(worst, MaxDiff(Row(batched, i), net.Describe(crops[i], 1)));
        output.WriteLine($"batch of {crops.Count} vs single runs: max |diff| {worst:E2}");
        // libtorch may pick other conv kernels for other batch sizes; only float rounding may differ.
        Assert.True(worst <= Tolerance, $"batched and single runs differ by {worst}");
        Assert.Empty(net.Describe([], 0));
    }

    [Fact]
    public void FixtureWasMadeWithTheseWeightFiles()
    {
        string manifest = ModelStore.Open().FaceRecognitionManifest;
        using var doc = JsonDocument.Parse(File.ReadAllBytes(FixturePath));
        var entry = doc.RootElement.GetProperty("weights");
        string bin = Path.Combine(Path.GetDirectoryName(manifest)!, entry.GetProperty("bin").GetString()!);
        Assert.Equal(Path.GetFileName(manifest), entry.GetProperty("manifest").GetString());
        Assert.Equal(entry.GetProperty("manifestSha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(manifest))));
        Assert.Equal(entry.GetProperty("binSha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(bin))));
    }

    [Fact]
    public void WrongInputIsRejected()
    {
        using var net = FaceRecognitionNet.Open(ModelStore.Open());
        using var nhwc = zeros(1, Side, Side, 3);
        Assert.Throws<ArgumentException>(() => net.forward(nhwc));
        using var small = zeros(1, 3, 112, 112);
        Assert.Throws<ArgumentException>(() => net.forward(small));
        Assert.Throws<ArgumentException>(() => net.Describe(new byte[CropBytes * 2 - 1], 2));
        Assert.Throws<ArgumentException>(() => net.Describe(new byte[CropBytes], 2));
    }

    // A models root whose face-api folder holds the given manifest (and .bin) under the recognition net's file names.
    private static ModelStore FakeStore(TempFolder temp, string manifestText, string binSource)
    {
        string model = temp.Folder("models/vladmandic-face-api-1.7.15/model");
        File.WriteAllText(Path.Combine(model, "face_recognition_model-weights_manifest.json"), manifestText);
        File.Copy(binSource, Path.Combine(model, "face_recognition_model.bin"));
        return ModelStore.Open(temp["models"]);
    }

    [Fact]
    public void AManifestOfAnotherNetIsRejectedByName()
    {
        var store = ModelStore.Open();
        using var temp = new TempFolder();
        // The landmark net's weights under the recognition net's names: loading must fail on the first tensor it lacks.
        string landmarks = store.FaceLandmarkTinyManifest;
        var fake = FakeStore(temp, File.ReadAllText(landmarks).Replace("face_landmark_68_tiny_model.bin", "face_recognition_model.bin"),
            Path.Combine(Path.GetDirectoryName(landmarks)!, "face_landmark_68_tiny_model.bin"));
        var e = Assert.Throws<AffectFuseException>(() => FaceRecognitionNet.Open(fake));
        Assert.EndsWith("face_recognition_model-weights_manifest.json", e.File);
        Assert.Contains("no tensor 'conv32_down/conv/filters'", e.Problem);
    }

    [Fact]
    public void AManifestWithAWrongShapeOrAMissingOrExtraTensorIsRejected()
    {
        string manifest = ModelStore.Open().FaceRecognitionManifest;
        string bin = Path.Combine(Path.GetDirectoryName(manifest)!, "face_recognition_model.bin");
        JsonNode Fc(JsonNode root) => root[0]!["weights"]!.AsArray().Single(w => (string)w!["name"]! == "fc")!;

        // fc transposed (same number of values, so the .bin still reads): the descriptor would be garbage.
        using (var temp = new TempFolder())
        {
            var root = JsonNode.Parse(File.ReadAllText(manifest))!;
            Fc(root)["shape"] = new JsonArray(128, 256);
            var e = Assert.Throws<AffectFuseException>(() => FaceRecognitionNet.Open(FakeStore(temp, root.ToJsonString(), bin)));
            Assert.Contains("fc is 128 → 256", e.Problem);
        }
        // A renamed tensor: the net names the one it lacks.
        using (var temp = new TempFolder())
        {
            var root = JsonNode.Parse(File.ReadAllText(manifest))!;
            Fc(root)["name"] = "fc/weights";
            var e = Assert.Throws<AffectFuseException>(() => FaceRecognitionNet.Open(FakeStore(temp, root.ToJsonString(), bin)));
            Assert.Contains("no tensor 'fc'", e.Problem);
        }
        // A tensor the net does not know (empty, so the .bin still fits): no layer may be left to guess.
        using (var temp = new TempFolder())
        {
            var root = JsonNode.Parse(File.ReadAllText(manifest))!;
            root[0]!["weights"]!.AsArray().Add(new JsonObject { ["name"] = "conv512_1/conv1/conv/bias", ["shape"] = new JsonArray(0), ["dtype"] = "float32" });
            var e = Assert.Throws<AffectFuseException>(() => FaceRecognitionNet.Open(FakeStore(temp, root.ToJsonString(), bin)));
            Assert.Contains("tensors this network does not use: conv512_1/conv1/conv/bias", e.Problem);
        }
    }
}
