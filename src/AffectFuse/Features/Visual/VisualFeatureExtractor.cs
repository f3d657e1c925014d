using System.Runtime.InteropServices;
using AffectFuse.Faces.Nets;
using AffectFuse.Faces.Nets.FaceApi;
using AffectFuse.Faces.Nets.MediaPipe;
using AffectFuse.IO;
using AffectFuse.Setup;
using static TorchSharp.torch;
using AffectFuse.Torch;

namespace AffectFuse.Features.Visual;

/// <summary>The nets of the chosen <see cref="VisualFeatureGroups"/>, run on batches of aligned face crops: the
/// mini-Xception on 64×64 gray crops, face-api's expression and 68-landmark nets on 112×112 colour crops (both face-api
/// nets read the same crop tensor), MediaPipe's mesh → iris → blendshape chain on 192×192 mesh crops (one face at a
/// time: its ONNX files take batch 1). Loads only what the groups need; writes one row per face in
/// <see cref="VisualFeatureLayout"/>'s order.</summary>
internal sealed class VisualFeatureExtractor : IDisposable
{
    /// <summary>Side of the gray crop (the mini-Xception's input).</summary>
    public const int GraySize = EmotionBackbone.InputSize;

    /// <summary>Side of the colour crop (face-api's input).</summary>
    public const int RgbSize = FaceExpressionNet.InputSize;

    // The mini-Xception in ONNX Runtime too: equal to the TorchSharp import to 4.8e-7 (EmotionBackboneOnnxTests),
    // 1.3–1.4× as fast a face at batch 32 on one thread (bench nets).
    private readonly EmotionBackboneOnnx? _miniXception;
    // face-api's expression net in ONNX Runtime, not the TorchSharp port: the same net to float rounding
    // (FaceExpressionOnnxTests), 1.6× as fast a face at batch 32 and 3.7× at batch 1 on one thread (bench nets).
    private readonly FaceExpressionOnnx? _expression;
    private readonly OnnxBuffers _expressionBuffers = new(), _miniXceptionBuffers = new();
    private readonly FaceLandmarkNet? _landmarks;
    private readonly FaceBlendshapes? _blendshapes;
    private readonly int _faceApiOffset, _landmarkOffset, _blendshapeOffset;

    /// <summary>Loads the nets <paramref name="groups"/> needs from <paramref name="store"/>.</summary>
    public VisualFeatureExtractor(ModelStore store, VisualFeatureGroups groups)
    {
        if (!VisualFeatureLayout.IsSet(groups))
            throw OptionCheck.Fail("ExtractionOptions.Visual", $"not a visual feature set: {groups}");
        Groups = groups;
        Width = VisualFeatureLayout.Width(groups);
        try
        {
            if (groups.HasFlag(VisualFeatureGroups.MiniXception))
                _miniXception = EmotionBackboneOnnx.Open(store);
            if (groups.HasFlag(VisualFeatureGroups.FaceApiExpression))
            {
                _expression = FaceExpressionOnnx.Open(store);
                _faceApiOffset = VisualFeatureLayout.Offset(groups, VisualFeatureGroups.FaceApiExpression);
            }
            if (groups.HasFlag(VisualFeatureGroups.Landmarks))
            {
                _landmarks = FaceLandmarkNet.Open(store);
                _landmarkOffset = VisualFeatureLayout.Offset(groups, VisualFeatureGroups.Landmarks);
            }
            if (groups.HasFlag(VisualFeatureGroups.Blendshapes))
            {
                _blendshapes = new FaceBlendshapes();
                _blendshapeOffset = VisualFeatureLayout.Offset(groups, VisualFeatureGroups.Blendshapes);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The groups computed.</summary>
    public VisualFeatureGroups Groups { get; }

    /// <summary>Width Dv of a row.</summary>
    public int Width { get; }

    /// <summary>True when the gray crop is read.</summary>
    public bool NeedsGray => _miniXception is not null;

    /// <summary>True when the colour crop is read.</summary>
    public bool NeedsRgb => _expression is not null || _landmarks is not null;

    /// <summary>True when the MediaPipe mesh crop (<see cref="FaceBlendshapes.CutMeshCrop"/>) is read.</summary>
    public bool NeedsMeshCrop => _blendshapes is not null;

    /// <summary>Rows for <paramref name="count"/> faces: <paramref name="gray"/> holds their 64×64 gray crops back to back
    /// (empty when <see cref="NeedsGray"/> is false), <paramref name="rgb"/> their 112×112 RGB crops; the rows go to
    /// <paramref name="rows"/> (count × <see cref="Width"/>). Landmark changes are taken against
    /// each face's person's <paramref name="histories"/>, which <paramref name="frames"/> (each face's frame index,
    /// increasing per person) update;
    /// <paramref name="continues"/> says per face whether the face was there since the previous one.</summary>
    public void Extract(int count, ReadOnlySpan<byte> gray, ReadOnlySpan<byte> rgb, ReadOnlySpan<int> frames, ReadOnlySpan<bool> continues,
        ReadOnlySpan<LandmarkHistory> histories, Span<float> rows)
        => Extract(count, gray, rgb, [], [], frames, continues, histories, rows);

    /// <summary>As the public overload, with the faces' mesh crops (<see cref="FaceBlendshapes.MeshCropBytes"/> each, back to
    /// back; empty when <see cref="NeedsMeshCrop"/> is false) and the frame regions they were cut from;
    /// <paramref name="profile"/>, when given, receives each net's CPU time.</summary>
    internal void Extract(int count, ReadOnlySpan<byte> gray, ReadOnlySpan<byte> rgb, ReadOnlySpan<byte> mesh, ReadOnlySpan<RotatedRoi> meshRegions,
        ReadOnlySpan<int> frames, ReadOnlySpan<bool> continues, ReadOnlySpan<LandmarkHistory> histories, Span<float> rows, StageProfile? profile = null)
    {
        if (count == 0)
            return;
        long start = StageProfile.Start();
        if (_blendshapes is not null)
        {
            WriteBlendshapes(count, mesh, meshRegions, rows);
            start = profile?.Stop(ProfiledStage.Blendshapes, start) ?? start;
        }
        if (_miniXception is not null || NeedsRgb)
            RunNets(count, gray, rgb, frames, continues, histories, rows, profile, start);
    }

    private void WriteBlendshapes(int count, ReadOnlySpan<byte> mesh, ReadOnlySpan<RotatedRoi> regions, Span<float> rows)
    {
        int bytes = FaceBlendshapes.MeshCropBytes;
        if (mesh.Length < count * bytes || regions.Length < count)
            throw new ArgumentException($"the blendshape group needs {count} mesh crops and their regions; got {mesh.Length / bytes} and {regions.Length}");
        for (int i = 0; i < count; i++)
            _blendshapes!.Compute(mesh.Slice(i * bytes, bytes), regions[i], rows.Slice(i * Width + _blendshapeOffset, BlendshapeColumns.Count));
    }

    private void RunNets(int count, ReadOnlySpan<byte> gray, ReadOnlySpan<byte> rgb, ReadOnlySpan<int> frames, ReadOnlySpan<bool> continues,
        ReadOnlySpan<LandmarkHistory> histories, Span<float> rows, StageProfile? profile, long start)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (_miniXception is not null)
        {
            WriteMiniXception(gray, count, rows);
            start = profile?.Stop(ProfiledStage.MiniXception, start) ?? start;
        }
        if (!NeedsRgb)
            return;
        if (_expression is not null)
        {
            WriteExpression(rgb, count, rows);
            start = profile?.Stop(ProfiledStage.FaceApiExpression, start) ?? start;
        }
        if (_landmarks is not null)
        {
            WriteLandmarks(_landmarks.forward(Pixels(rgb, count, RgbSize, 3)), frames, continues, histories, rows);
            profile?.Stop(ProfiledStage.FaceApiLandmarks, start);
        }
    }

    private void WriteExpression(ReadOnlySpan<byte> rgb, int count, Span<float> rows) =>
        RunOnnx(_expressionBuffers, rgb, count, RgbSize * RgbSize * 3, FaceExpressionNet.FeatureSize, _expression!.Run, rows, _faceApiOffset);

    private void WriteMiniXception(ReadOnlySpan<byte> gray, int count, Span<float> rows) =>
        RunOnnx(_miniXceptionBuffers, gray, count, GraySize * GraySize, EmotionBackbone.FeatureSize, _miniXception!.Run, rows, 0);

    // The crops as floats into buffers kept between batches (a batch of face-api's is 4.8 MB: new ones would churn the
    // large-object heap), the net, then each row into its columns.
    private void RunOnnx(OnnxBuffers buffers, ReadOnlySpan<byte> crops, int count, int cropSize, int k, Action<float[], int, float[]> run,
        Span<float> rows, int offset)
    {
        int length = count * cropSize;
        if (crops.Length < length)
            throw new ArgumentException($"{crops.Length} crop bytes given for {count} crops of {cropSize} bytes");
        lock (buffers)
        {
            if (buffers.Input.Length < length)
                (buffers.Input, buffers.Output) = (new float[length], new float[count * k]);
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(crops[..length], buffers.Input.AsSpan(0, length));
            run(buffers.Input, count, buffers.Output);
            for (int i = 0; i < count; i++)
                buffers.Output.AsSpan(i * k, k).CopyTo(rows.Slice(i * Width + offset, k));
        }
    }

    /// <summary>A net's input and output floats, reused from batch to batch (and a lock: one batch at a time).</summary>
    private sealed class OnnxBuffers
    {
        public float[] Input = [], Output = [];
    }

    private static Tensor Pixels(ReadOnlySpan<byte> bytes, int count, int side, int channels)
    {
        int length = count * side * side * channels;
        if (bytes.Length < length)
            throw new ArgumentException($"{bytes.Length} crop bytes given for {count} crops of {side}×{side}×{channels}");
        var t = HostTensor.Empty<float>([count, side, side, channels], out var storage);
        System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(bytes[..length], storage);
        return t;
    }

    private void WriteLandmarks(Tensor points, ReadOnlySpan<int> frames, ReadOnlySpan<bool> continues, ReadOnlySpan<LandmarkHistory> histories, Span<float> rows)
    {
        using var dense = points.contiguous();
        ReadOnlySpan<float> xy = MemoryMarshal.Cast<byte, float>(dense.bytes);
        int m = LandmarkGeometry.Count, k = 2 * FaceLandmarkNet.PointCount;
        for (int i = 0; i < frames.Length; i++)
        {
            var row = rows.Slice(i * Width + _landmarkOffset, 2 * m);
            LandmarkGeometry.Measure(xy.Slice(i * k, k), row[..m]);
            histories[i].Delta(frames[i], continues[i], row[..m], row[m..]);
        }
    }

    /// <summary>Releases the nets.</summary>
    public void Dispose()
    {
        _miniXception?.Dispose();
        _expression?.Dispose();
        _landmarks?.Dispose();
        _blendshapes?.Dispose();
    }
}
