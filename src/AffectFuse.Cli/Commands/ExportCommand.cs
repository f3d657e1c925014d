using AffectFuse.IO;
using System.CommandLine;
using AffectFuse.Model;
using AffectFuse.Training;
using AffectFuse.Inference;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse export --model CKPT --out FILE</c>: writes a checkpoint's weights and options as .safetensors.</summary>
public static class ExportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "Checkpoint written by `affectfuse train`.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Output .safetensors file (float32 weights, state-dict names; options in __metadata__).", Required = true };
        var command = new Command("export", "Export a trained model's weights as .safetensors for PyTorch and other tools.") { model, output };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var checkpoint = parse.GetValue(model)!;
            var target = parse.GetValue(output)!;
            InputFile.RequireContent(checkpoint.FullName, "checkpoint");
            if (!target.Extension.Equals(".safetensors", StringComparison.OrdinalIgnoreCase))
                throw new AffectFuseException(target.FullName, "output must end in .safetensors");
            OutputLocation.File(target.FullName);
            var loaded = Checkpoint.Load(checkpoint.FullName);
            using (loaded.Model)
                SafetensorsExport.Write(target.FullName, loaded.Model, loaded.Options);
            Console.WriteLine($"wrote {target.FullName} ({new FileInfo(target.FullName).Length:N0} bytes; epoch {loaded.State.Epoch}, validation macro-F1 {loaded.State.ValidationMacroF1:F4})");
            return 0;
        }));
        return command;
    }
}
