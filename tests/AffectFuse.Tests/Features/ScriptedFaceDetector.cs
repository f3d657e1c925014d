using AffectFuse.Faces;
using OpenCvSharp;

namespace AffectFuse.Tests.Features;

/// <summary>A face detector that answers each call with the face widths scripted for it (the last list repeats): faces
/// side by side across the image it is given (a whole frame), or a lone face centred in it (a region around a face, as
/// the front model sees it); every key point at the face's centre. Counts its calls.</summary>
internal sealed class ScriptedFaceDetector(params float[][] widthsPerCall) : IFaceDetector
{
    public int Calls { get; private set; }

    public IReadOnlyList<FaceDetection> Detect(Mat bgr)
    {
        var widths = widthsPerCall[Math.Min(Calls++, widthsPerCall.Length - 1)];
        return widths.Select((w, i) => Face(widths.Length == 1 ? bgr.Width / 2f : 200 + 200 * i, bgr.Height / 2f, w)).ToList();
    }

    private static FaceDetection Face(float cx, float cy, float w) =>
        new(new Rect2f(cx - w / 2, cy - w / 2, w, w), 0.9f, Enumerable.Repeat(new Point2f(cx, cy), FaceDetection.KeypointCount).ToArray());
}
