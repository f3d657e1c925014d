using AffectFuse.Data;
using static TorchSharp.torch;

namespace AffectFuse.Training;

/// <summary>A batch of training windows as tensors: v [B,T,Dv], mv [B,T], a [B,T,Da], ma [B,T], y [B,T] (int64, -1 = ignore).
/// The tensors belong to the batch: dispose it after the step.</summary>
internal sealed class WindowBatch(Tensor visual, Tensor visualMask, Tensor audio, Tensor audioMask, Tensor labels) : IDisposable
{
    /// <summary>Visual features [B,T,Dv], float32.</summary>
    public Tensor Visual { get; } = visual;

    /// <summary>Face present [B,T].</summary>
    public Tensor VisualMask { get; } = visualMask;

    /// <summary>Audio features [B,T,Da], float32.</summary>
    public Tensor Audio { get; } = audio;

    /// <summary>Audio present [B,T].</summary>
    public Tensor AudioMask { get; } = audioMask;

    /// <summary>Labels [B,T], int64, -1 where not annotated or past a short window's end.</summary>
    public Tensor Labels { get; } = labels;

    /// <summary>Copies the windows' rows into tensors (see <see cref="WindowBatchAssembler"/>).</summary>
    public static WindowBatch Assemble(IReadOnlyList<LabelledVideo> videos, ReadOnlySpan<TrainingWindow> windows, int length)
        => new WindowBatchAssembler(videos, length).Assemble(windows);

    /// <summary>Releases the five tensors.</summary>
    public void Dispose()
    {
        Visual.Dispose();
        VisualMask.Dispose();
        Audio.Dispose();
        AudioMask.Dispose();
        Labels.Dispose();
    }
}
