using AffectFuse.Faces;
using OpenCvSharp;
using Xunit;

namespace AffectFuse.Tests.Faces;

public sealed class FaceAlignerTests
{
    private static Mat Rotated(Mat image, double degrees)
    {
        using var m = Cv2.GetRotationMatrix2D(new Point2f(image.Width / 2f, image.Height / 2f), degrees, 1.0);
        var dst = new Mat();
        Cv2.WarpAffine(image, dst, m, image.Size(), InterpolationFlags.Linear, BorderTypes.Replicate);
        return dst;
    }

    private static FaceDetection SingleFace(Mat image)
    {
        var found = FaceScenes.Detector.Detect(image);
        Assert.Single(found);
        return found[0];
    }

    private static double MeanAbsDifference(Mat a, Mat b)
    {
        using var diff = new Mat();
        Cv2.Absdiff(a, b, diff);
        return Cv2.Mean(diff).Val0;
    }

    [Fact]
    public void EyesAreLevelAndTheCropMatchesTheUprightFaceOnARotatedPhoto()
    {
        var photo = FaceScenes.Photo;
        using var tilted = Rotated(photo, 25); // counter-clockwise as displayed
        var upright = SingleFace(photo);
        var face = SingleFace(tilted);

        // The detector's eyes follow the tilt: image y grows downwards, so the eye line slopes at about −25°.
        var (r, l) = (face[FaceKeypoint.RightEye], face[FaceKeypoint.LeftEye]);
        double angle = Math.Atan2(l.Y - r.Y, l.X - r.X) * 180 / Math.PI;
        Assert.InRange(angle, -32, -18);

        using var aligner = new FaceAligner();
        double[] m = aligner.Transform(r, l);
        double ry = m[3] * r.X + m[4] * r.Y + m[5], ly = m[3] * l.X + m[4] * l.Y + m[5];
        double rx = m[0] * r.X + m[1] * r.Y + m[2], lx = m[0] * l.X + m[1] * l.Y + m[2];
        Assert.Equal(ry, ly, 3);
        Assert.Equal(FaceAligner.DefaultEyeLine * 64, ry, 3);
        Assert.Equal(FaceAligner.DefaultEyeDistance * 64, lx - rx, 3);

        using var fromUpright = new Mat();
        using var fromTilted = new Mat();
        using var unlevelled = new Mat();
        aligner.Align(photo, upright[FaceKeypoint.RightEye], upright[FaceKeypoint.LeftEye], fromUpright);
        aligner.Align(tilted, r, l, fromTilted);
        // Same eye centre and distance but no rotation: what skipping the levelling would give.
        float half = (float)Math.Sqrt((l.X - r.X) * (l.X - r.X) + (l.Y - r.Y) * (l.Y - r.Y)) / 2;
        var mid = new Point2f((r.X + l.X) / 2, (r.Y + l.Y) / 2);
        aligner.Align(tilted, new Point2f(mid.X - half, mid.Y), new Point2f(mid.X + half, mid.Y), unlevelled);

        Assert.Equal(new Size(64, 64), fromTilted.Size());
        Assert.Equal(MatType.CV_8UC1, fromTilted.Type());
        double aligned = MeanAbsDifference(fromUpright, fromTilted), notLevelled = MeanAbsDifference(fromUpright, unlevelled);
        Assert.True(aligned < 14, $"aligned crops of the upright and tilted photo differ by {aligned:F1} grey levels");
        Assert.True(notLevelled > 1.5 * aligned, $"levelling made no difference ({aligned:F1} vs {notLevelled:F1})");
    }

    [Fact]
    public void LargeFaceShrunkWithoutLosingTheFraming()
    {
        // A 4× enlarged photo takes the area-resize path; its crop must match the crop of the original.
        var photo = FaceScenes.Photo;
        using var big = photo.Resize(new Size(2048, 2048), 0, 0, InterpolationFlags.Cubic);
        var face = SingleFace(photo);
        var (r, l) = (face[FaceKeypoint.RightEye], face[FaceKeypoint.LeftEye]);
        using var aligner = new FaceAligner();
        using var small = new Mat();
        using var large = new Mat();
        aligner.Align(photo, r, l, small);
        aligner.Align(big, new Point2f(r.X * 4 + 1.5f, r.Y * 4 + 1.5f), new Point2f(l.X * 4 + 1.5f, l.Y * 4 + 1.5f), large);
        Assert.True(MeanAbsDifference(small, large) < 6);
    }

    [Fact]
    public void AbsentFaceGivesAFalseMaskAndABlankCrop()
    {
        using var aligner = new FaceAligner();
        using var frame = FaceScenes.Background(64, 64);
        using var crop = new Mat();
        bool present = aligner.Align(frame, new TrackedFace { FrameIndex = 0, Timestamp = 0 }, crop);
        Assert.False(present);
        Assert.Equal(0, Cv2.CountNonZero(crop));

        var floats = new float[64 * 64];
        crop.SetTo(Scalar.All(255));
        FaceAligner.ToFloats(crop, floats, 2f / 255, -1);
        Assert.All(floats, v => Assert.Equal(1f, v, 5));
    }
}
