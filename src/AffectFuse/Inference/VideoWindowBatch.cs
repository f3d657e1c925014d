using AffectFuse.Data;
using AffectFuse.Model;
using static TorchSharp.torch;
using AffectFuse.Torch;

namespace AffectFuse.Inference;

/// <summary>Windows of one video cut out as the model's inputs: <c>[B, T, D]</c> features and <c>[B, T]</c> masks.</summary>
/// <remarks>Rows are written straight into the tensors' storage (float16 widened on the way), so voting over a long
/// video or a whole validation set leaves no batch-sized arrays for the GC (see <see cref="HostTensor"/>).</remarks>
internal static class VideoWindowBatch
{
    /// <summary>The windows starting at <paramref name="starts"/>, each <paramref name="length"/> frames, as tensors on
    /// <paramref name="device"/> (owned by the caller's dispose scope).</summary>
    public static (Tensor Visual, Tensor VisualMask, Tensor Audio, Tensor AudioMask) ToTensors(VideoFeatures video, IReadOnlyList<int> starts,
        int length, Device device)
    {
        int b = starts.Count, dv = video.VisualDim, da = video.AudioDim;
        foreach (int s in starts)
        {
            if (s < 0 || s + length > video.FrameCount)
                throw new ArgumentOutOfRangeException(nameof(starts), $"window {s}..{s + length - 1} is outside {video.FrameCount} frames");
        }
        var visual = HostTensor.Empty<float>([b, length, dv], out var v);
        var visualMask = HostTensor.Empty<bool>([b, length], out var mv);
        var audio = HostTensor.Empty<float>([b, length, da], out var a);
        var audioMask = HostTensor.Empty<bool>([b, length], out var ma);
        for (int i = 0; i < b; i++)
        {
            int s = starts[i];
            video.Visual.CopyRows(s, length, v.Slice(i * length * dv, length * dv));
            video.Audio.CopyRows(s, length, a.Slice(i * length * da, length * da));
            video.VisualMask.AsSpan(s, length).CopyTo(mv.Slice(i * length, length));
            video.AudioMask.AsSpan(s, length).CopyTo(ma.Slice(i * length, length));
        }
        return (OnDevice(visual, device), OnDevice(visualMask, device), OnDevice(audio, device), OnDevice(audioMask, device));
    }

    private static Tensor OnDevice(Tensor host, Device device) => device.type == TorchSharp.DeviceType.CPU ? host : host.to(device);
}
