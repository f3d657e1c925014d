using System.Runtime.InteropServices;
using AffectFuse.Faces.Nets.FaceApi;
using OpenCvSharp;

namespace AffectFuse.Faces;

/// <summary>Who a face is, for knowing a person again who left and came back: face-api's 128-d descriptor (dlib's
/// ResNet, trained for face verification: two views of one person lie within <see cref="SamePerson"/> of each other,
/// two people beyond it) of the face cut as face-api cuts it for the net.</summary>
/// <remarks>face-api's dlib crop is the square of side eye-to-mouth distance / 0.45 around the mean of the eyes and the
/// mouth, that point at 0.5 / 0.43 of the side; from BlazeFace's eye points that puts the eyes 0.40 of the side apart
/// on a line at 0.30, which <see cref="FaceAligner"/> cuts, turned level (face-api does not turn it; a level face
/// varies less with head roll). About 15–20 ms a face on one core, so the
/// tracker asks for it only when a person needs one (first seen, now and then while seen, a face that may be someone
/// lost), never on every frame.</remarks>
internal sealed class FaceIdentity(FaceRecognitionNet net) : IDisposable
{
    /// <summary>Largest descriptor distance at which two faces are one person (dlib's and face-api's threshold).</summary>
    public const float SamePerson = 0.6f;

    /// <summary>Narrowest face (box width, pixels) whose descriptor is taken: below it the crop is mostly upsampling.</summary>
    public const float MinFaceWidth = 40;

    private readonly FaceAligner _aligner = new(FaceRecognitionNet.InputSize, eyeDistance: 0.40f, eyeLine: 0.30f);
    private readonly Mat _crop = new();
    private readonly byte[] _bytes = new byte[FaceRecognitionNet.InputSize * FaceRecognitionNet.InputSize * 3];

    // The tracker tries a key frame on a copy of its state and then, when the frames before it disagree, runs that frame
    // again: the same faces of the same frame are asked for twice. The last frame's answers are kept.
    private readonly Dictionary<Rect2f, float[]?> _lastFrame = [];
    private int _lastFrameIndex = -1;

    /// <summary>The descriptor of <paramref name="face"/> in the BGR <paramref name="frame"/> (video frame
    /// <paramref name="frameIndex"/>), or null when the face is too small to say.</summary>
    public float[]? Of(Mat frame, int frameIndex, FaceDetection face)
    {
        if (face.Box.Width < MinFaceWidth)
            return null;
        if (frameIndex != _lastFrameIndex)
        {
            _lastFrame.Clear();
            _lastFrameIndex = frameIndex;
        }
        if (_lastFrame.TryGetValue(face.Box, out var known))
            return known;
        _aligner.AlignRgb(frame, face, _crop);
        Marshal.Copy(_crop.Data, _bytes, 0, _bytes.Length);
        return _lastFrame[face.Box] = net.Describe(_bytes, 1);
    }


    /// <summary>Euclidean distance between two descriptors.</summary>
    public static float Distance(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        return (float)Math.Sqrt(sum);
    }

    /// <summary>Releases the crops (the net belongs to whoever made it).</summary>
    public void Dispose()
    {
        _aligner.Dispose();
        _crop.Dispose();
    }
}
