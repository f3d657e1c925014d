using AffectFuse.Faces;
using OpenCvSharp;

namespace AffectFuse.Faces.Nets.MediaPipe;

/// <summary>A rotated square region of the frame that MediaPipe crops for a net, in frame pixels: its centre, side and
/// rotation (radians; the angle of the crop's x axis in the frame, y pointing down). Built the way MediaPipe's
/// calculators build them: <c>DetectionsToRectsCalculator</c> (the bounding box of a detection or of key points, rotated
/// so that the line from a start to an end key point is horizontal) followed by <c>RectTransformationCalculator</c>
/// (<c>square_long</c>: the longer side, then scaled).</summary>
internal readonly record struct RotatedRoi(float CentreX, float CentreY, float Side, float Rotation)
{
    /// <summary>The face mesh's crop for a BlazeFace detection (MediaPipe's <c>FaceDetectionFrontDetectionToRoi</c>): the
    /// detection box's centre, its longer side × 1.5, levelled on the eyes (key point 0 → 1).</summary>
    public const float FaceScale = 1.5f;

    /// <summary>An iris crop around two eye corners (MediaPipe's <c>IrisLandmarkLandmarksToRoi</c>): scale 2.3.</summary>
    public const float EyeScale = 2.3f;

    public static RotatedRoi ForFace(FaceDetection face)
    {
        var box = face.Box;
        return Around(box.X + box.Width / 2, box.Y + box.Height / 2, Math.Max(box.Width, box.Height), FaceScale,
            face[FaceKeypoint.RightEye], face[FaceKeypoint.LeftEye]);
    }

    /// <summary>The iris crop for an eye whose corners are <paramref name="start"/> and <paramref name="end"/> (frame pixels):
    /// centred on their bounding box, whose longer side (in the frame's axes, as MediaPipe measures it) × 2.3 is the side.</summary>
    public static RotatedRoi ForEye(Point2f start, Point2f end) =>
        Around((start.X + end.X) / 2, (start.Y + end.Y) / 2, Math.Max(Math.Abs(end.X - start.X), Math.Abs(end.Y - start.Y)), EyeScale, start, end);

    private static RotatedRoi Around(float cx, float cy, float longSide, float scale, Point2f start, Point2f end) =>
        new(cx, cy, longSide * scale, MathF.Atan2(end.Y - start.Y, end.X - start.X));

    /// <summary>Crop pixels → frame pixels for a crop of <paramref name="size"/> pixels: crop point (x, y) lies at
    /// <c>centre + R(rotation) · ((x / size − ½) · side, (y / size − ½) · side)</c>, the map of MediaPipe's
    /// <c>ImageToTensorCalculator</c> (rect corners onto the tensor's corners) and of its <c>LandmarkProjectionCalculator</c>
    /// (landmarks back). <paramref name="flip"/> mirrors the crop left to right (the iris net sees right eyes mirrored).</summary>
    public Affine2D CropToFrame(int size, bool flip = false)
    {
        double s = Side / (double)size, c = Math.Cos(Rotation) * s, n = Math.Sin(Rotation) * s;
        double fx = flip ? -1 : 1;
        // x' = fx·(x − size/2), y' = y − size/2 in crop pixels, then rotate, scale and move to the centre.
        return new(c * fx, -n, CentreX - c * fx * size / 2 + n * size / 2,
                   n * fx, c, CentreY - n * fx * size / 2 - c * size / 2);
    }
}
