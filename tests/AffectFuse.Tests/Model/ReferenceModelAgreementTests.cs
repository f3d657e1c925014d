using System.Diagnostics;
using AffectFuse.Audio;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using AffectFuse.Model;
using AffectFuse.Training;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AffectFuse.Tests.Model;

/// <summary>Exports the model as safetensors and checks bench/reference_model.py (plain PyTorch 1.13) computes the same logits.</summary>
public sealed class ReferenceModelAgreementTests(ITestOutputHelper output) : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly string dir = Directory.CreateTempSubdirectory("affectfuse-ref-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Script()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "bench", "reference_model.py");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("bench/reference_model.py not found above " + AppContext.BaseDirectory);
    }

    [Theory]
    [InlineData(FusionKind.CrossAttentionGated, ModalityUse.Both)]
    [InlineData(FusionKind.Concat, ModalityUse.Both)]
    [InlineData(FusionKind.CrossAttentionGated, ModalityUse.AudioOnly)]
    public void ExportedModelMatchesPyTorchReference(FusionKind fusion, ModalityUse use)
        => AssertAgreement(ModelTestInputs.Small() with { Fusion = fusion, Modalities = use, SelfLayers = 2, CrossLayers = 2 }, $"{fusion}/{use}");

    /// <summary>The input transforms: the face prior over both face nets, the audio level reference and the audio
    /// window standardisation, alone and together, fused and on one branch.</summary>
    [Theory]
    [InlineData(true, false, false, ModalityUse.Both)]
    [InlineData(true, false, false, ModalityUse.VisualOnly)]
    [InlineData(false, true, false, ModalityUse.Both)]
    [InlineData(false, false, true, ModalityUse.AudioOnly)]
    [InlineData(true, true, true, ModalityUse.Both)]
    public void ExportedModelWithInputTransformsMatchesPyTorchReference(bool facePrior, bool levelReference, bool windowNorm, ModalityUse use)
    {
        var visual = VisualFeatureGroups.MiniXception | VisualFeatureGroups.FaceApiExpression;
        var audio = AudioFeatureSets.Default;
        var options = ModelTestInputs.Small() with
        {
            Modalities = use, VisualDim = VisualFeatureLayout.Width(visual), VisualFeatures = VisualFeatureLayout.Id(visual),
            AudioDim = AudioFeatureLayout.DimOf(audio), AudioFeatures = AudioFeatureSets.Id(audio),
            FacePrior = facePrior, AudioLevelReference = levelReference, AudioWindowNorm = windowNorm,
        };
        AssertAgreement(options, $"prior {facePrior}, level {levelReference}, norm {windowNorm}, {use}");
    }

    private void AssertAgreement(ModelOptions options, string label)
    {
        Assert.True(File.Exists(Python), $"{Python} (Debian python3 with python3-torch) is required for this test");
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(31);
        var model = new AffectFuseModel(options);
        ModelTestInputs.Perturb(model, seed: 17);
        model.eval();

        // Also round-trips through the checkpoint, so the export reads what a user would export.
        string ckpt = Path.Combine(dir, "m.ckpt");
        Checkpoint.Save(ckpt, model, ModelTestInputs.Training, new CheckpointState(0, 0, 0));
        var loaded = Checkpoint.Load(ckpt).Model;
        string weights = Path.Combine(dir, "m.safetensors");
        SafetensorsExport.Write(weights, loaded);

        var (v, mv, a, ma) = ModelTestInputs.Batch(options, seed: 3, t: 12);
        v[2] = torch.zeros(12, options.VisualDim);   // numpy file: keep finite garbage-free inputs for the absent face
        v = v.abs();                                 // the face prior takes logs of the face nets' probability columns
        string inputs = Path.Combine(dir, "in.npz");
        NpzTestFile.Write(inputs, new Dictionary<string, (long[], Array)>
        {
            ["visual"] = (v.shape, v.data<float>().ToArray()),
            ["visual_mask"] = (mv.shape, mv.data<bool>().ToArray()),
            ["audio"] = (a.shape, a.data<float>().ToArray()),
            ["audio_mask"] = (ma.shape, ma.data<bool>().ToArray()),
        });
        string outPath = Path.Combine(dir, "out.npz");
        var psi = new ProcessStartInfo(Python, [Script(), weights, inputs, outPath]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(psi)!;
        string stdout = process.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"reference_model.py failed: {stderr}");
        output.WriteLine(stdout.Trim());

        var reference = NpzTestFile.ReadFloat32(outPath);
        ModelOutputs ours;
        using (torch.no_grad())
            ours = loaded.ForwardAll(v, mv, a, ma);
        var pairs = new List<(string, Tensor)> { ("fused", ours.Fused) };
        if (ours.Visual is not null) pairs.Add(("visual", ours.Visual));
        if (ours.Audio is not null) pairs.Add(("audio", ours.Audio));
        Assert.Equal(pairs.Count, reference.Count);
        foreach (var (name, tensor) in pairs)
        {
            var (shape, data) = reference[name];
            Assert.Equal(tensor.shape, shape);
            var mine = tensor.data<float>().ToArray();
            double maxDiff = mine.Zip(data, (x, y) => Math.Abs(x - y)).Max();
            double scale = mine.Max(Math.Abs);
            output.WriteLine($"{label} {name}: max |C# − PyTorch| = {maxDiff:E2} (max |logit| {scale:F2})");
            Assert.True(maxDiff < 1e-4, $"{name} differs by {maxDiff}");
            Assert.True(scale > 0.1);
        }
    }
}
