using System.Runtime.InteropServices;
using AffectFuse.Faces;
using OpenCvSharp;

namespace AffectFuse.Faces.Nets.MediaPipe;

/// <summary>MediaPipe's chain from a tracked face to 52 blendshape scores, with the crops its graphs make:
/// <list type="number">
/// <item>mesh crop (<see cref="CutMeshCrop"/>): the detection box's longer side × 1.5, centred on the box, levelled on
/// BlazeFace's eyes, 192×192 RGB, bilinear, edges replicated (<c>face_detection_front_detection_to_roi</c>,
/// <c>face_landmark_cpu</c>);</item>
/// <item>the 468-point mesh, mapped back to frame pixels; below a presence of 0.5 MediaPipe gives no landmarks, and the
/// scores are then zeros;</item>
/// <item>two eye crops of 64×64 around the corners 33–133 and 362–263 (the longer side of their bounding box × 2.3,
/// levelled on the corners; the second mirrored, as <c>iris_landmark_left_and_right_cpu</c> does), cut from the mesh
/// crop so that one crop per face travels between the pipeline's stages (an eye spans about a quarter of it, so the
/// iris net sees about 50 source pixels upsampled to 64);</item>
/// <item>5 iris points per eye → points 468–477 (the eye of corners 33–133 first, as MediaPipe's refined mesh numbers them);</item>
/// <item>the 146 points of the blendshape model's subset in frame pixels (MediaPipe's <c>LandmarksToTensorCalculator</c>
/// scales normalised points by the image size; the model removes position and scale itself) → 52 scores.</item>
/// </list>
/// Not thread-safe (scratch buffers); one instance per thread.</summary>
internal sealed class FaceBlendshapes : IDisposable
{
    /// <summary>Bytes of one mesh crop (192×192 RGB).</summary>
    public const int MeshCropBytes = MediaPipeNets.MeshSize * MediaPipeNets.MeshSize * 3;

    private const float PresenceThreshold = 0.5f;
    private readonly MediaPipeNets _nets;
    private readonly Mat _crop = new(MediaPipeNets.MeshSize, MediaPipeNets.MeshSize, MatType.CV_8UC3), _eye = new(), _wholeFrameCrop = new();
    private readonly byte[] _cropBytes = new byte[MeshCropBytes];
    private readonly byte[] _eyeBytes = new byte[MediaPipeNets.EyeSize * MediaPipeNets.EyeSize * 3];
    private readonly float[] _points = new float[2 * MediaPipeNets.AllPoints];

    public FaceBlendshapes(MediaPipeAssets? assets = null) => _nets = MediaPipeNets.Open(assets ?? new MediaPipeAssets());

    /// <summary>The nets, for tests that feed them inputs directly.</summary>
    internal MediaPipeNets Nets => _nets;

    /// <summary>The 478 points (x, y in frame pixels) of the last <see cref="Compute"/> that found a face.</summary>
    public ReadOnlySpan<float> Landmarks => _points;

    /// <summary>The face mesh's presence probability in the last <see cref="Compute"/>.</summary>
    public float LastPresence { get; private set; }

    /// <summary>Cuts the mesh crop of <paramref name="face"/> from a BGR frame into <paramref name="destination"/>
    /// (192×192, CV_8UC3, RGB) and returns its region.</summary>
    public static RotatedRoi CutMeshCrop(Mat bgr, FaceDetection face, Mat destination)
    {
        var roi = RotatedRoi.ForFace(face);
        using var map = roi.CropToFrame(MediaPipeNets.MeshSize).ToMat();
        using var warped = new Mat();
        Cv2.WarpAffine(bgr, warped, map, new Size(MediaPipeNets.MeshSize, MediaPipeNets.MeshSize),
            InterpolationFlags.Linear | InterpolationFlags.WarpInverseMap, BorderTypes.Replicate);
        Cv2.CvtColor(warped, destination, ColorConversionCodes.BGR2RGB);
        return roi;
    }

    /// <summary>The 52 scores of <paramref name="face"/> in a BGR frame (<see cref="CutMeshCrop"/>, then
    /// <see cref="Compute(ReadOnlySpan{byte}, RotatedRoi, Span{float})"/>).</summary>
    public bool Compute(Mat bgr, FaceDetection face, Span<float> scores)
    {
        var roi = CutMeshCrop(bgr, face, _wholeFrameCrop);
        Marshal.Copy(_wholeFrameCrop.Data, _cropBytes, 0, MeshCropBytes);
        return Compute(_cropBytes, roi, scores);
    }

    /// <summary>The 52 scores of the face in <paramref name="meshCrop"/> (<see cref="MeshCropBytes"/> RGB bytes cut from
    /// <paramref name="roi"/>) into <paramref name="scores"/>; false (and zeros) when the mesh finds no face there.</summary>
    public bool Compute(ReadOnlySpan<byte> meshCrop, RotatedRoi roi, Span<float> scores)
    {
        if (meshCrop.Length < MeshCropBytes)
            throw new ArgumentException($"a mesh crop is {MeshCropBytes} bytes, got {meshCrop.Length}", nameof(meshCrop));
        meshCrop = meshCrop[..MeshCropBytes];
        var mesh = _nets.Mesh;
        ToChannelsFirst(meshCrop, mesh.Input);
        mesh.Run();
        LastPresence = 1 / (1 + MathF.Exp(-mesh.Output(1)[0]));
        if (!(LastPresence >= PresenceThreshold))
        {
            scores[..BlendshapeColumns.Count].Clear();
            return false;
        }
        var cropToFrame = roi.CropToFrame(MediaPipeNets.MeshSize);
        ReadOnlySpan<float> raw = mesh.Output(0);
        for (int k = 0; k < MediaPipeNets.MeshPoints; k++)
            Store(k, cropToFrame.Apply(raw[3 * k], raw[3 * k + 1]));
        // The eye crops are warped out of the mesh crop, which OpenCV reads as an image.
        if (!meshCrop.Overlaps(_cropBytes))
            meshCrop.CopyTo(_cropBytes);
        Marshal.Copy(_cropBytes, 0, _crop.Data, MeshCropBytes);
        var frameToCrop = cropToFrame.Inverse();
        Iris(_crop, frameToCrop, 33, 133, mirrored: false, MediaPipeNets.MeshPoints);
        Iris(_crop, frameToCrop, 362, 263, mirrored: true, MediaPipeNets.MeshPoints + MediaPipeNets.IrisPoints);
        var input = _nets.Blendshapes.Input;
        var subset = _nets.Subset;
        for (int i = 0; i < subset.Length; i++)
        {
            input[2 * i] = _points[2 * subset[i]];
            input[2 * i + 1] = _points[2 * subset[i] + 1];
        }
        _nets.Blendshapes.Run();
        _nets.Blendshapes.Output(0).CopyTo(scores);
        return true;
    }

    // The iris net on the crop around eye corners `start` → `end`; its 5 iris points become points first … first + 4.
    private void Iris(Mat meshCrop, Affine2D frameToCrop, int start, int end, bool mirrored, int first)
    {
        var eyeRoi = RotatedRoi.ForEye(Point(start), Point(end));
        var eyeToFrame = eyeRoi.CropToFrame(MediaPipeNets.EyeSize, mirrored);
        using (var map = frameToCrop.After(eyeToFrame).ToMat())
            Cv2.WarpAffine(meshCrop, _eye, map, new Size(MediaPipeNets.EyeSize, MediaPipeNets.EyeSize),
                InterpolationFlags.Linear | InterpolationFlags.WarpInverseMap, BorderTypes.Replicate);
        var iris = _nets.Iris;
        Marshal.Copy(_eye.Data, _eyeBytes, 0, _eyeBytes.Length);
        ToChannelsFirst(_eyeBytes, iris.Input);
        iris.Run();
        ReadOnlySpan<float> points = iris.Output(1);
        for (int j = 0; j < MediaPipeNets.IrisPoints; j++)
            Store(first + j, eyeToFrame.Apply(points[3 * j], points[3 * j + 1]));
    }

    private Point2f Point(int index) => new(_points[2 * index], _points[2 * index + 1]);

    private void Store(int index, Point2f p)
    {
        _points[2 * index] = p.X;
        _points[2 * index + 1] = p.Y;
    }

    /// <summary>Interleaved RGB bytes [H, W, 3] → [3, H, W] floats in [0, 1] (the nets' input).</summary>
    internal static void ToChannelsFirst(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        int plane = pixels.Length / 3;
        if (destination.Length != 3 * plane)
            throw new ArgumentException($"{pixels.Length} bytes do not fill an input of {destination.Length} values");
        const float scale = 1f / 255;
        for (int i = 0; i < plane; i++)
        {
            destination[i] = pixels[3 * i] * scale;
            destination[plane + i] = pixels[3 * i + 1] * scale;
            destination[2 * plane + i] = pixels[3 * i + 2] * scale;
        }
    }

    public void Dispose()
    {
        _nets.Dispose();
        _crop.Dispose();
        _eye.Dispose();
        _wholeFrameCrop.Dispose();
    }
}
