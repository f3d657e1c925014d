using AffectFuse.Features.Sets;
using System.CommandLine;
using AffectFuse.Data;
using AffectFuse.Inference;
using AffectFuse.Model;
using AffectFuse.Training;

namespace AffectFuse.Cli.Commands;

/// <summary>Options shared by <c>evaluate</c> and <c>infer</c>: the checkpoint, where features live, and soft-voting overrides.</summary>
internal sealed class PredictionArguments
{
    public Option<string> Model { get; } = new("--model") { Description = "Checkpoint file written by 'train'.", Required = true };
    public FeatureSourceOptions Features { get; } = new();
    public Option<int?> Window { get; } = new("--window") { Description = "Window length T in frames (default: the checkpoint's)." };
    public Option<int?> Stride { get; } = new("--stride") { Description = "Stride S between windows (default: the checkpoint's)." };
    public Option<int?> Smooth { get; } = new("--smooth") { Description = "Half-width δ of the centred moving average (default: the checkpoint's)." };
    public Option<bool> UniformVotes { get; } = new("--uniform-votes") { Description = "Weight every window position equally instead of towards window centres." };
    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "Windows per forward pass." };

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        Features.AddTo(command);
        foreach (var option in new Option[] { Window, Stride, Smooth, UniformVotes, BatchSize })
            command.Options.Add(option);
    }

    /// <summary>The feature source the user named, with <paramref name="labelsDir"/>.</summary>
    public DatasetSource Source(ParseResult parse, string? labelsDir)
    {
        var source = Features.Resolve(parse, labelsDir);
        if (!(source.Fps > 0))
            throw new AffectFuseException(null, $"--fps must be positive, got {source.Fps}");
        return source;
    }

    /// <summary>The checkpoint's validation settings with the command line's overrides applied, checked against the
    /// checkpoint's model before any features are read.</summary>
    public InferenceOptions Inference(ParseResult parse, LoadedCheckpoint checkpoint)
    {
        var fromCheckpoint = checkpoint.Options.Validation;
        var options = fromCheckpoint with
        {
            Window = parse.GetValue(Window) ?? fromCheckpoint.Window,
            Stride = parse.GetValue(Stride) ?? fromCheckpoint.Stride,
            SmoothingHalfWidth = parse.GetValue(Smooth) ?? fromCheckpoint.SmoothingHalfWidth,
            CentreWeighted = !parse.GetValue(UniformVotes) && fromCheckpoint.CentreWeighted,
            BatchSize = parse.GetValue(BatchSize) ?? fromCheckpoint.BatchSize,
        };
        options.Validate(checkpoint.Options.Model.MaxLength);
        return options;
    }

    /// <summary>Loads the checkpoint named by --model.</summary>
    public LoadedCheckpoint LoadCheckpoint(ParseResult parse)
    {
        string path = parse.GetValue(Model)!;
        AffectFuse.IO.InputFile.RequireContent(path, "checkpoint");
        return Checkpoint.Load(path);
    }
}
