using OpenCvSharp;

namespace AffectFuse.Faces;

/// <summary>Cuts an upright, fixed-scale grey (or colour) face crop (64×64 by default) from a frame using the two eye key points:
/// a similarity transform levels the eyes, sets their distance, and centres them, framing the face as FER-2013's
/// crops do (the expression CNN was trained on those).</summary>
/// <remarks>
/// Default framing, as fractions of the crop side, measured from typical FER-2013 images (48×48, face filling
/// the frame from mid-forehead to chin): eye distance 0.36, eye line 0.38 from the top, eyes centred
/// horizontally. With BlazeFace's usual eye-to-mouth distance of about 1.1 eye distances the mouth lands near
/// 0.78, leaving the chin inside the crop.
/// </remarks>
internal sealed class FaceAligner : IDisposable
{
    /// <summary>Default crop side in pixels (the emotion CNN's input).</summary>
    public const int DefaultSize = 64;

    /// <summary>Default eye distance as a fraction of the crop side.</summary>
    public const float DefaultEyeDistance = 0.36f;

    /// <summary>Default height of the eye line as a fraction of the crop side from the top.</summary>
    public const float DefaultEyeLine = 0.38f;

    private readonly Mat _colour = new();
    private readonly Mat _shrunk = new();

    /// <summary>Creates an aligner producing <paramref name="size"/>×<paramref name="size"/> crops.</summary>
    public FaceAligner(int size = DefaultSize, float eyeDistance = DefaultEyeDistance, float eyeLine = DefaultEyeLine)
    {
        if (size < 8 || eyeDistance is <= 0 or >= 1 || eyeLine is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(size), "size ≥ 8 and fractions in (0, 1) are required");
        Size = size;
        EyeDistance = eyeDistance;
        EyeLine = eyeLine;
    }

    /// <summary>Crop side in pixels.</summary>
    public int Size { get; }

    /// <summary>Eye distance as a fraction of the crop side.</summary>
    public float EyeDistance { get; }

    /// <summary>Eye line height as a fraction of the crop side.</summary>
    public float EyeLine { get; }

    /// <summary>The 2×3 affine matrix (row-major) mapping frame pixels to crop pixels for these eye positions.
    /// <paramref name="rightEye"/> is the subject's right eye (image left in an unmirrored frame).</summary>
    public double[] Transform(Point2f rightEye, Point2f leftEye)
    {
        double dx = leftEye.X - rightEye.X, dy = leftEye.Y - rightEye.Y;
        double distance = Math.Max(Math.Sqrt(dx * dx + dy * dy), 1e-3);
        double s = EyeDistance * Size / distance;
        double c = s * dx / distance, sn = s * dy / distance; // s·cos θ, s·sin θ with θ the eye-line angle
        double mx = (rightEye.X + leftEye.X) / 2.0, my = (rightEye.Y + leftEye.Y) / 2.0;
        double tx = 0.5 * Size - (c * mx + sn * my);
        double ty = EyeLine * Size - (-sn * mx + c * my);
        return [c, sn, tx, -sn, c, ty];
    }

    /// <summary>Writes the aligned grey crop of <paramref name="face"/> into <paramref name="destination"/> (Size×Size,
    /// CV_8UC1) and returns true; when the face is absent writes zeros and returns false (the visual mask).</summary>
    public bool Align(Mat bgr, TrackedFace face, Mat destination)
    {
        if (face.Face is not { } f)
        {
            destination.Create(Size, Size, MatType.CV_8UC1);
            destination.SetTo(Scalar.All(0));
            return false;
        }
        Align(bgr, f[FaceKeypoint.RightEye], f[FaceKeypoint.LeftEye], destination);
        return true;
    }

    /// <summary>Writes the aligned grey crop for the given eye positions into <paramref name="destination"/> (Size×Size, CV_8UC1).</summary>
    public void Align(Mat bgr, Point2f rightEye, Point2f leftEye, Mat destination)
    {
        Warp(bgr, rightEye, leftEye);
        Cv2.CvtColor(_colour, destination, ColorConversionCodes.BGR2GRAY);
    }

    /// <summary>Writes the aligned colour crop of a present face into <paramref name="destination"/> (Size×Size, CV_8UC3,
    /// RGB order, as the TF.js nets expect).</summary>
    public void AlignRgb(Mat bgr, FaceDetection face, Mat destination)
    {
        Warp(bgr, face[FaceKeypoint.RightEye], face[FaceKeypoint.LeftEye]);
        Cv2.CvtColor(_colour, destination, ColorConversionCodes.BGR2RGB);
    }

    private void Warp(Mat bgr, Point2f rightEye, Point2f leftEye)
    {
        if (bgr.Empty() || bgr.Type() != MatType.CV_8UC3)
            throw new ArgumentException("expected a non-empty BGR CV_8UC3 image", nameof(bgr));
        double[] m = Transform(rightEye, leftEye);
        double scale = Math.Sqrt(m[0] * m[0] + m[1] * m[1]);
        Mat source = bgr;
        // WarpAffine samples bilinearly, which aliases when shrinking a large face several-fold; area-resize the
        // face's neighbourhood first so the warp itself shrinks by at most 2×.
        if (scale < 0.5)
        {
            var roi = SourceRegion(m, scale, bgr.Size());
            if (roi.Width > 0 && roi.Height > 0)
            {
                double f = Math.Min(1, 2 * scale);
                var shrunkSize = new Size(Math.Max(1, (int)Math.Round(roi.Width * f)), Math.Max(1, (int)Math.Round(roi.Height * f)));
                using (var view = new Mat(bgr, roi))
                    Cv2.Resize(view, _shrunk, shrunkSize, 0, 0, InterpolationFlags.Area);
                double fx = (double)shrunkSize.Width / roi.Width, fy = (double)shrunkSize.Height / roi.Height;
                // Crop ← frame becomes crop ← shrunk: frame = roi.origin + shrunk / f.
                m = [m[0] / fx, m[1] / fy, m[2] + m[0] * roi.X + m[1] * roi.Y,
                     m[3] / fx, m[4] / fy, m[5] + m[3] * roi.X + m[4] * roi.Y];
                source = _shrunk;
            }
        }
        using var matrix = Mat.FromPixelData(2, 3, MatType.CV_64FC1, m);
        Cv2.WarpAffine(source, _colour, matrix, new Size(Size, Size), InterpolationFlags.Linear, BorderTypes.Replicate);
    }

    /// <summary>Copies a grey crop into <paramref name="destination"/> as floats <c>pixel·scale + offset</c>
    /// (e.g. 2/255 and −1 for [−1, 1]).</summary>
    public static void ToFloats(Mat gray, Span<float> destination, float scale, float offset)
    {
        if (gray.Type() != MatType.CV_8UC1 || !gray.IsContinuous())
            throw new ArgumentException("expected a continuous CV_8UC1 image", nameof(gray));
        int n = gray.Rows * gray.Cols;
        if (destination.Length < n)
            throw new ArgumentException($"destination holds {destination.Length} values, need {n}", nameof(destination));
        if (!gray.GetArray(out byte[] pixels))
            throw new InvalidOperationException("could not read the crop's pixels");
        for (int i = 0; i < n; i++)
            destination[i] = pixels[i] * scale + offset;
    }

    // Frame rectangle (clipped, with a margin) that the crop's square maps back onto.
    private Rect SourceRegion(double[] m, double scale, Size frame)
    {
        // Inverse of the similarity: frame = R^T (crop - t) / scale².
        double a = m[0], b = m[1], tx = m[2], ty = m[5], s2 = scale * scale;
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var (u, v) in new[] { (0.0, 0.0), (Size, 0.0), (0.0, Size), ((double)Size, (double)Size) })
        {
            double du = u - tx, dv = v - ty;
            double x = (a * du - b * dv) / s2, y = (b * du + a * dv) / s2;
            (minX, maxX, minY, maxY) = (Math.Min(minX, x), Math.Max(maxX, x), Math.Min(minY, y), Math.Max(maxY, y));
        }
        double margin = 2 / scale;
        int x0 = Math.Max(0, (int)Math.Floor(minX - margin)), y0 = Math.Max(0, (int)Math.Floor(minY - margin));
        int x1 = Math.Min(frame.Width, (int)Math.Ceiling(maxX + margin)), y1 = Math.Min(frame.Height, (int)Math.Ceiling(maxY + margin));
        return new Rect(x0, y0, Math.Max(0, x1 - x0), Math.Max(0, y1 - y0));
    }

    /// <summary>Releases scratch buffers.</summary>
    public void Dispose()
    {
        _colour.Dispose();
        _shrunk.Dispose();
    }
}
