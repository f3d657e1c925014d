using AffectFuse.Model;
using AffectFuse.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using AffectFuse.Tests.Model;

namespace AffectFuse.Tests.Training;

public sealed class CheckpointTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("affectfuse-ckpt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string SaveSmall(out AffectFuseModel model, ModelOptions? options = null)
    {
        torch.manual_seed(21);
        model = new AffectFuseModel(options ?? ModelTestInputs.Small());
        ModelTestInputs.Perturb(model);
        string path = Path.Combine(dir, "model.ckpt");
        var train = ModelTestInputs.Training with { Seed = 5, FocalGamma = 1.5, ClassWeighting = ClassWeighting.Uniform };
        Checkpoint.Save(path, model, train, new CheckpointState(3, 0.41, 1234));
        return path;
    }

    [Fact]
    public void RoundTripGivesBitIdenticalOutputsOptionsAndState()
    {
        using var scope = torch.NewDisposeScope();
        string path = SaveSmall(out var model, ModelTestInputs.Small() with { Fusion = FusionKind.Concat, AuxiliaryHeads = false });
        model.eval();
        var loaded = Checkpoint.Load(path);
        Assert.False(loaded.Model.training);
        Assert.Equal(model.Options, loaded.Options.Model);
        Assert.Equal(1.5, loaded.Options.FocalGamma);
        Assert.Equal(ClassWeighting.Uniform, loaded.Options.ClassWeighting);
        Assert.Equal(new CheckpointState(3, 0.41, 1234), loaded.State);

        var (v, mv, a, ma) = ModelTestInputs.Batch(model.Options);
        using var _ = torch.no_grad();
        var expected = model.forward(v, mv, a, ma);
        var actual = loaded.Model.forward(v, mv, a, ma);
        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());

        string json = File.ReadAllText(path + ".options.json");
        Assert.Contains("\"ClassWeighting\": \"Uniform\"", json);
        Assert.Contains("\"Fusion\": \"Concat\"", json);
    }

    [Fact]
    public void TruncatedFileIsAClearError()
    {
        string path = SaveSmall(out _);
        byte[] bytes = File.ReadAllBytes(path);
        foreach (int keep in new[] { bytes.Length - 1, bytes.Length / 2, 20, 3 })
        {
            File.WriteAllBytes(path, bytes[..keep]);
            var e = Assert.Throws<AffectFuseException>(() => Checkpoint.Load(path));
            Assert.Equal(path, e.File);
        }
    }

    [Fact]
    public void CorruptedByteIsDetected()
    {
        string path = SaveSmall(out _);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<AffectFuseException>(() => Checkpoint.Load(path));
        Assert.Contains("SHA-256", e.Problem);
    }

    [Fact]
    public void ForeignOrMissingFileIsAClearError()
    {
        string foreign = Path.Combine(dir, "foreign.ckpt");
        // A TorchSharp weights file of the right model is still not a checkpoint.
        torch.manual_seed(1);
        new AffectFuseModel(ModelTestInputs.Small()).save(foreign);
        var e = Assert.Throws<AffectFuseException>(() => Checkpoint.Load(foreign));
        Assert.Contains("not an AffectFuse checkpoint", e.Problem);

        File.WriteAllText(foreign, "hello");
        Assert.Throws<AffectFuseException>(() => Checkpoint.Load(foreign));
        Assert.Throws<AffectFuseException>(() => Checkpoint.Load(Path.Combine(dir, "absent.ckpt")));
    }
}
