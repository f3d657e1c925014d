using System.Runtime.InteropServices;
using System.Text.Json;
using AffectFuse.Faces.Nets.MediaPipe;
using AffectFuse.IO;
using AffectFuse.Tests.Setup;
using OpenCvSharp;
using Xunit;
using Xunit.Abstractions;

namespace AffectFuse.Tests.Faces.Nets.MediaPipe;

/// <summary>Our ONNX Runtime path for the three MediaPipe nets against onnxruntime-node running the same files on the same
/// inputs (tools/mediapipe-reference): the astronaut's face upright and tilted — its mesh crop, both eye crops (the
/// right one mirrored) and the 146 points the chain made of them.</summary>
public sealed class MediaPipeParityTests(ITestOutputHelper output)
{
    private const float Bar = 1e-4f;

    private sealed record Inputs(List<float[]> Mesh, List<float[]> Iris, List<float[]> Points);

    private static Inputs Make(FaceBlendshapes chain)
    {
        var inputs = new Inputs([], [], []);
        var scores = new float[BlendshapeColumns.Count];
        foreach (double degrees in new[] { 0.0, 30.0 })
        {
            using var frame = FaceBlendshapesTests.SmilingFace(degrees);
            var face = FaceBlendshapesTests.Detect(frame);
            Assert.True(chain.Compute(frame, face, scores));
            // After a run the nets' input buffers hold what they last read: the mesh crop, the mirrored right eye, the points.
            inputs.Mesh.Add(chain.Nets.Mesh.Input.ToArray());
            inputs.Iris.Add(chain.Nets.Iris.Input.ToArray());
            inputs.Points.Add(chain.Nets.Blendshapes.Input.ToArray());
            inputs.Iris.Add(LeftEye(frame, chain.Landmarks));
        }
        return inputs;
    }

    // The other eye's crop, cut straight from the frame around corners 33 and 133.
    private static float[] LeftEye(Mat bgr, ReadOnlySpan<float> points)
    {
        var roi = RotatedRoi.ForEye(new Point2f(points[66], points[67]), new Point2f(points[266], points[267]));
        using var map = roi.CropToFrame(MediaPipeNets.EyeSize).ToMat();
        using var eye = new Mat();
        Cv2.WarpAffine(bgr, eye, map, new Size(MediaPipeNets.EyeSize, MediaPipeNets.EyeSize), InterpolationFlags.Linear | InterpolationFlags.WarpInverseMap, BorderTypes.Replicate);
        Cv2.CvtColor(eye, eye, ColorConversionCodes.BGR2RGB);
        var bytes = new byte[MediaPipeNets.EyeSize * MediaPipeNets.EyeSize * 3];
        Marshal.Copy(eye.Data, bytes, 0, bytes.Length);
        var floats = new float[bytes.Length];
        FaceBlendshapes.ToChannelsFirst(bytes, floats);
        return floats;
    }

    private static string B64(float[] values) => Convert.ToBase64String(MemoryMarshal.AsBytes(values.AsSpan()));

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    /// <summary>Runs tools/mediapipe-reference/reference.js, installing its one package first when it is not there.</summary>
    private static JsonDocument NodeReference(string inputsPath)
    {
        string tool = Path.Combine(ModelStoreTests.RepoRoot(), "tools", "mediapipe-reference");
        const string install = "apt install nodejs npm";
        if (!File.Exists(Path.Combine(tool, "node_modules", "onnxruntime-node", "package.json")))
            ExternalTool.Run("env", ["ONNXRUNTIME_NODE_INSTALL=skip", "npm", "ci", "--no-audit", "--no-fund", "--prefix", tool], tool, "to install onnxruntime-node (needs the npm registry once)");
        string json = ExternalTool.Output("node", [Path.Combine(tool, "reference.js"), MediaPipeAssets.DefaultFolder, inputsPath], tool, "to run the MediaPipe reference", install);
        return JsonDocument.Parse(json);
    }

    private void Compare(string what, ReadOnlySpan<float> ours, float[] reference, float scale)
    {
        Assert.Equal(reference.Length, ours.Length);
        double worst = 0;
        for (int i = 0; i < ours.Length; i++)
            worst = Math.Max(worst, Math.Abs(ours[i] - reference[i]) / scale);
        output.WriteLine($"{what}: largest difference {worst:E2}{(scale != 1 ? $" of {scale}" : "")}");
        Assert.True(worst <= Bar, $"{what} differs from onnxruntime-node by {worst:E2} (bar {Bar:E0})");
    }

    // Runs `net` on each input and compares each output (in the net's order) with what the reference read from Node's.
    private void Check(string what, OnnxNet net, List<float[]> inputs, JsonElement reference, params (string Name, Func<JsonElement, float[]> Read, float Scale)[] outputs)
    {
        var expected = reference.EnumerateArray().ToList();
        Assert.Equal(inputs.Count, expected.Count);
        for (int k = 0; k < inputs.Count; k++)
        {
            inputs[k].CopyTo(net.Input);
            net.Run();
            for (int o = 0; o < outputs.Length; o++)
                Compare($"{what} {k} {outputs[o].Name}", net.Output(o), outputs[o].Read(expected[k]), outputs[o].Scale);
        }
    }

    [Fact]
    public void TheThreeNetsMatchOnnxRuntimeNodeOnTheSameInputs()
    {
        using var chain = new FaceBlendshapes();
        var inputs = Make(chain);
        using var temp = new TempFolder();
        string inputsPath = temp.File("inputs.json");
        File.WriteAllText(inputsPath, JsonSerializer.Serialize(new
        {
            mesh = inputs.Mesh.Select(B64), iris = inputs.Iris.Select(B64), blendshapes = inputs.Points.Select(B64),
        }));
        using var reference = NodeReference(inputsPath);
        var root = reference.RootElement;
        output.WriteLine(root.GetProperty("runtime").GetString());
        foreach (var (file, pin) in MediaPipeAssets.Pins.Where(p => p.Key.EndsWith(".onnx")))
            Assert.Equal(pin, root.GetProperty("sha256").GetProperty(file).GetString());

        var nets = chain.Nets;
        // Points are crop pixels (0–192, 0–64): compared relative to the crop's side.
        Check("mesh", nets.Mesh, inputs.Mesh, root.GetProperty("mesh"),
            ("points", e => Floats(e.GetProperty("points")), MediaPipeNets.MeshSize), ("presence logit", e => [e.GetProperty("presence").GetSingle()], 1));
        Check("eye", nets.Iris, inputs.Iris, root.GetProperty("iris"),
            ("contour", e => Floats(e.GetProperty("contour")), MediaPipeNets.EyeSize), ("iris", e => Floats(e.GetProperty("iris")), MediaPipeNets.EyeSize));
        Check("blendshapes", nets.Blendshapes, inputs.Points, root.GetProperty("blendshapes"), ("scores", Floats, 1));
    }
}
