using OpenCvSharp;

namespace AffectFuse.Faces;

/// <summary>Finds faces in one BGR frame.</summary>
internal interface IFaceDetector
{
    /// <summary>Faces in <paramref name="bgr"/> (CV_8UC3), in frame pixels, best first.</summary>
    IReadOnlyList<FaceDetection> Detect(Mat bgr);
}
