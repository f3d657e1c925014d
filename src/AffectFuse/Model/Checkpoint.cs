using AffectFuse.Training;

namespace AffectFuse.Model;

/// <summary>Training state stored with a checkpoint.</summary>
public sealed record CheckpointState(int Epoch, double ValidationMacroF1, long Step);

/// <summary>A loaded checkpoint: the model (in eval mode), the options it was trained with, and its state.</summary>
public sealed record LoadedCheckpoint(AffectFuseModel Model, TrainOptions Options, CheckpointState State);

/// <summary>Single-file checkpoints (weights + options + state) with integrity checks; options are also written beside as JSON.</summary>
public static class Checkpoint
{
    /// <summary>Writes atomically to <paramref name="path"/> and <c>path + ".options.json"</c>.</summary>
    public static void Save(string path, AffectFuseModel model, TrainOptions options, CheckpointState state)
        => throw new NotImplementedException("model helper");

    /// <summary>Loads; a truncated or foreign file is an <see cref="AffectFuseException"/>.</summary>
    public static LoadedCheckpoint Load(string path) => throw new NotImplementedException("model helper");
}
