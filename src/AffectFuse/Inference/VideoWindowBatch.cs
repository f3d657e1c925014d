using AffectFuse.Data;
using static TorchSharp.torch;

namespace AffectFuse.Inference;

/// <summary>Windows of one video cut out as the model's inputs: row-major <c>[B, T, D]</c> features and <c>[B, T]</c> masks.</summary>
public sealed class VideoWindowBatch
{
    /// <summary>Windows in the batch.</summary>
    public int Count { get; }

    /// <summary>Frames per window.</summary>
    public int Length { get; }

    /// <summary>Visual features <c>[B, T, Dv]</c>.</summary>
    public float[] Visual { get; }

    /// <summary>Face presence <c>[B, T]</c>.</summary>
    public bool[] VisualMask { get; }

    /// <summary>Audio features <c>[B, T, Da]</c>.</summary>
    public float[] Audio { get; }

    /// <summary>Audio presence <c>[B, T]</c>.</summary>
    public bool[] AudioMask { get; }

    private readonly int _visualDim, _audioDim;

    /// <summary>Copies the windows starting at <paramref name="starts"/>, each <paramref name="length"/> frames, out of <paramref name="video"/>.</summary>
    public VideoWindowBatch(VideoFeatures video, IReadOnlyList<int> starts, int length)
    {
        int b = starts.Count, dv = video.VisualDim, da = video.AudioDim;
        Count = b;
        Length = length;
        _visualDim = dv;
        _audioDim = da;
        Visual = new float[(long)b * length * dv];
        Audio = new float[(long)b * length * da];
        VisualMask = new bool[b * length];
        AudioMask = new bool[b * length];
        Fill(video, starts);
    }

    /// <summary>Refills this batch's buffers with other windows of the same count and length. Reusing one batch for a
    /// whole video keeps these large-object-heap arrays from piling up between full collections on long videos.</summary>
    public void Fill(VideoFeatures video, IReadOnlyList<int> starts)
    {
        int b = Count, length = Length, dv = _visualDim, da = _audioDim;
        if (starts.Count != b || video.VisualDim != dv || video.AudioDim != da)
            throw new ArgumentException($"batch holds {b} windows of {dv}+{da} features, got {starts.Count} of {video.VisualDim}+{video.AudioDim}", nameof(starts));
        for (int i = 0; i < b; i++)
        {
            int s = starts[i];
            if (s < 0 || s + length > video.FrameCount)
                throw new ArgumentOutOfRangeException(nameof(starts), $"window {s}..{s + length - 1} is outside {video.FrameCount} frames");
            video.Visual.CopyRows(s, length, Visual.AsSpan(i * length * dv, length * dv));
            video.Audio.CopyRows(s, length, Audio.AsSpan(i * length * da, length * da));
            Array.Copy(video.VisualMask, s, VisualMask, i * length, length);
            Array.Copy(video.AudioMask, s, AudioMask, i * length, length);
        }
    }

    /// <summary>The four model inputs as tensors on <paramref name="device"/> (owned by the caller's dispose scope).</summary>
    public (Tensor Visual, Tensor VisualMask, Tensor Audio, Tensor AudioMask) ToTensors(Device device) => (
        tensor(Visual, [Count, Length, _visualDim], device: device),
        tensor(VisualMask, [Count, Length], device: device),
        tensor(Audio, [Count, Length, _audioDim], device: device),
        tensor(AudioMask, [Count, Length], device: device));
}
