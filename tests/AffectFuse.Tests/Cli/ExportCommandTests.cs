using AffectFuse.IO;
using System.Buffers.Binary;
using System.Text.Json;
using AffectFuse.Cli.Commands;
using AffectFuse.Model;
using AffectFuse.Training;
using TorchSharp;
using Xunit;
using AffectFuse.Tests.Model;

namespace AffectFuse.Tests.Cli;

public sealed class ExportCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("affectfuse-export-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void ExportsSafetensorsWithEveryWeightAndTheOptions()
    {
        torch.manual_seed(2);
        var model = new AffectFuseModel(ModelTestInputs.Small());
        string ckpt = Path.Combine(dir, "m.ckpt"), output = Path.Combine(dir, "m.safetensors");
        Checkpoint.Save(ckpt, model, ModelTestInputs.Training, new CheckpointState(1, 0.3, 10));
        int code = CommandLine.Run(ExportCommand.Create(), "--model", ckpt, "--out", output).Code;
        Assert.Equal(0, code);

        byte[] bytes = File.ReadAllBytes(output);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + headerLength) % 8);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var options = JsonSerializer.Deserialize<ModelOptions>(
            header.RootElement.GetProperty("__metadata__").GetProperty(SafetensorsExport.ModelOptionsKey).GetString()!, OptionsJson.Settings);
        Assert.Equal(model.Options, options);
        var names = header.RootElement.EnumerateObject().Select(p => p.Name).Where(n => n != "__metadata__").ToHashSet();
        Assert.Equal(model.state_dict().Keys.ToHashSet(), names);
        long end = header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__")
            .Max(p => p.Value.GetProperty("data_offsets")[1].GetInt64());
        Assert.Equal(bytes.Length, 8 + headerLength + end);
        Assert.Contains("missing_token", string.Join(",", names));
    }

    [Fact]
    public void BadCheckpointIsExitCodeTwoAndNoOutput()
    {
        string ckpt = Path.Combine(dir, "bad.ckpt"), output = Path.Combine(dir, "x.safetensors");
        File.WriteAllText(ckpt, "not a checkpoint");
        int code = CommandLine.Run(ExportCommand.Create(), "--model", ckpt, "--out", output).Code;
        Assert.Equal(2, code);
        Assert.False(File.Exists(output));
    }
}
