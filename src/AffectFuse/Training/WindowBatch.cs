using AffectFuse.Data;
using static TorchSharp.torch;

namespace AffectFuse.Training;

/// <summary>A batch of training windows as tensors: v [B,T,Dv], mv [B,T], a [B,T,Da], ma [B,T], y [B,T] (int64, -1 = ignore).</summary>
public sealed record WindowBatch(Tensor Visual, Tensor VisualMask, Tensor Audio, Tensor AudioMask, Tensor Labels)
{
    /// <summary>Copies the windows' rows into contiguous buffers; positions past a short window's end are masked
    /// out and labelled -1 so they contribute nothing.</summary>
    public static WindowBatch Assemble(IReadOnlyList<LabelledVideo> videos, ReadOnlySpan<TrainingWindow> windows, int length)
    {
        var first = videos[windows[0].Video].Features;
        int dv = first.VisualDim, da = first.AudioDim, b = windows.Length;
        var visual = new float[b * length * dv];
        var audio = new float[b * length * da];
        var visualMask = new bool[b * length];
        var audioMask = new bool[b * length];
        var labels = new long[b * length];
        Array.Fill(labels, ExpressionClasses.Unannotated);
        for (int i = 0; i < b; i++)
        {
            var w = windows[i];
            var video = videos[w.Video];
            var f = video.Features;
            int n = Math.Min(w.Length, length);
            Array.Copy(f.Visual, (long)w.Start * dv, visual, (long)i * length * dv, (long)n * dv);
            Array.Copy(f.Audio, (long)w.Start * da, audio, (long)i * length * da, (long)n * da);
            Array.Copy(f.VisualMask, w.Start, visualMask, i * length, n);
            Array.Copy(f.AudioMask, w.Start, audioMask, i * length, n);
            for (int t = 0; t < n; t++)
                labels[i * length + t] = video.Labels[w.Start + t];
        }
        return new WindowBatch(
            tensor(visual, [b, length, dv]),
            tensor(visualMask, [b, length]),
            tensor(audio, [b, length, da]),
            tensor(audioMask, [b, length]),
            tensor(labels, [b, length]));
    }
}
