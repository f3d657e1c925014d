using AffectFuse.Data;
using static TorchSharp.torch;

namespace AffectFuse.Training;

/// <summary>Cuts training windows out of the videos into one set of host buffers that is reused for every batch, then
/// copies them into fresh tensors; features stored as float16 are widened here, per batch.</summary>
/// <remarks>Reusing the buffers keeps the 10–30 MB batch arrays of 1024-wide features off the large-object heap, where a
/// new set per step piled up between full collections. A batch with fewer windows than <see cref="Capacity"/> (an
/// epoch's last) becomes a view of its first rows.</remarks>
public sealed class WindowBatchAssembler
{
    private readonly IReadOnlyList<LabelledVideo> _videos;
    private readonly int _length, _visualDim, _audioDim;
    private readonly float[] _visual, _audio;
    private readonly bool[] _visualMask, _audioMask;
    private readonly long[] _labels;

    /// <summary>Buffers for up to <paramref name="capacity"/> windows of <paramref name="length"/> frames of <paramref name="videos"/>.</summary>
    public WindowBatchAssembler(IReadOnlyList<LabelledVideo> videos, int capacity, int length)
    {
        if (videos.Count == 0) throw new ArgumentException("no videos", nameof(videos));
        if (capacity < 1 || length < 1) throw new ArgumentOutOfRangeException(nameof(capacity), "capacity and length must be positive");
        _videos = videos;
        Capacity = capacity;
        _length = length;
        _visualDim = videos[0].Features.VisualDim;
        _audioDim = videos[0].Features.AudioDim;
        _visual = new float[checked(capacity * length * _visualDim)];
        _audio = new float[checked(capacity * length * _audioDim)];
        _visualMask = new bool[capacity * length];
        _audioMask = new bool[capacity * length];
        _labels = new long[capacity * length];
    }

    /// <summary>Most windows per batch.</summary>
    public int Capacity { get; }

    /// <summary>The windows as tensors; positions past a short window's end are zero, masked out and labelled -1, so they
    /// contribute nothing.</summary>
    public WindowBatch Assemble(ReadOnlySpan<TrainingWindow> windows)
    {
        int b = windows.Length, length = _length, dv = _visualDim, da = _audioDim;
        if (b < 1 || b > Capacity) throw new ArgumentOutOfRangeException(nameof(windows), $"{b} windows for a batch of at most {Capacity}");
        for (int i = 0; i < b; i++)
        {
            var w = windows[i];
            var video = _videos[w.Video];
            var f = video.Features;
            int n = Math.Min(w.Length, length);
            f.Visual.CopyRows(w.Start, n, _visual.AsSpan(i * length * dv, n * dv));
            f.Audio.CopyRows(w.Start, n, _audio.AsSpan(i * length * da, n * da));
            f.VisualMask.AsSpan(w.Start, n).CopyTo(_visualMask.AsSpan(i * length, n));
            f.AudioMask.AsSpan(w.Start, n).CopyTo(_audioMask.AsSpan(i * length, n));
            for (int t = 0; t < n; t++)
                _labels[i * length + t] = video.Labels[w.Start + t];
            // A short window leaves the rest of its slot as the previous batch wrote it: clear it.
            _visual.AsSpan((i * length + n) * dv, (length - n) * dv).Clear();
            _audio.AsSpan((i * length + n) * da, (length - n) * da).Clear();
            _visualMask.AsSpan(i * length + n, length - n).Clear();
            _audioMask.AsSpan(i * length + n, length - n).Clear();
            _labels.AsSpan(i * length + n, length - n).Fill(ExpressionClasses.Unannotated);
        }
        long c = Capacity;
        var batch = new WindowBatch(
            tensor(_visual, [c, length, dv]),
            tensor(_visualMask, [c, length]),
            tensor(_audio, [c, length, da]),
            tensor(_audioMask, [c, length]),
            tensor(_labels, [c, length]));
        return b == Capacity ? batch : Narrow(batch, b);
    }

    private static WindowBatch Narrow(WindowBatch full, int count)
    {
        using (full)
        {
            return new WindowBatch(
                full.Visual.narrow(0, 0, count).contiguous(),
                full.VisualMask.narrow(0, 0, count).contiguous(),
                full.Audio.narrow(0, 0, count).contiguous(),
                full.AudioMask.narrow(0, 0, count).contiguous(),
                full.Labels.narrow(0, 0, count).contiguous());
        }
    }
}
