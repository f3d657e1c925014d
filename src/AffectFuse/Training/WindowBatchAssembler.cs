using AffectFuse.Data;
using AffectFuse.Model;
using AffectFuse.Torch;

namespace AffectFuse.Training;

/// <summary>Cuts training windows out of the videos straight into the storage of new batch tensors; features stored as
/// float16 are widened here, per batch.</summary>
/// <remarks>No managed buffer stands between the videos and the tensors (see <see cref="HostTensor"/>), so a batch of
/// 1024-wide features leaves no garbage behind.</remarks>
internal sealed class WindowBatchAssembler
{
    private readonly IReadOnlyList<LabelledVideo> _videos;
    private readonly int _length, _visualDim, _audioDim;

    /// <summary>Batches of windows of <paramref name="length"/> frames of <paramref name="videos"/>.</summary>
    public WindowBatchAssembler(IReadOnlyList<LabelledVideo> videos, int length)
    {
        if (videos.Count == 0) throw new ArgumentException("no videos", nameof(videos));
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), "length must be positive");
        _videos = videos;
        _length = length;
        _visualDim = videos[0].Features.VisualDim;
        _audioDim = videos[0].Features.AudioDim;
    }

    /// <summary>The windows as tensors; positions past a short window's end are zero, masked out and labelled -1, so they
    /// contribute nothing.</summary>
    public WindowBatch Assemble(ReadOnlySpan<TrainingWindow> windows)
    {
        int b = windows.Length, length = _length, dv = _visualDim, da = _audioDim;
        if (b < 1) throw new ArgumentOutOfRangeException(nameof(windows), "a batch needs at least one window");
        var batch = new WindowBatch(
            HostTensor.Empty<float>([b, length, dv], out var visual),
            HostTensor.Empty<bool>([b, length], out var visualMask),
            HostTensor.Empty<float>([b, length, da], out var audio),
            HostTensor.Empty<bool>([b, length], out var audioMask),
            HostTensor.Empty<long>([b, length], out var labels));
        for (int i = 0; i < b; i++)
        {
            var w = windows[i];
            var video = _videos[w.Video];
            var f = video.Features;
            int n = Math.Min(w.Length, length);
            f.Visual.CopyRows(w.Start, n, visual.Slice(i * length * dv, n * dv));
            f.Audio.CopyRows(w.Start, n, audio.Slice(i * length * da, n * da));
            f.VisualMask.AsSpan(w.Start, n).CopyTo(visualMask.Slice(i * length, n));
            f.AudioMask.AsSpan(w.Start, n).CopyTo(audioMask.Slice(i * length, n));
            for (int t = 0; t < n; t++)
                labels[i * length + t] = video.Labels[w.Start + t];
            visual.Slice((i * length + n) * dv, (length - n) * dv).Clear();
            audio.Slice((i * length + n) * da, (length - n) * da).Clear();
            visualMask.Slice(i * length + n, length - n).Clear();
            audioMask.Slice(i * length + n, length - n).Clear();
            labels.Slice(i * length + n, length - n).Fill(ExpressionClasses.Unannotated);
        }
        return batch;
    }
}
