using AffectFuse.Faces;
using AffectFuse.Faces.Nets.MediaPipe;
using OpenCvSharp;
using Xunit;

namespace AffectFuse.Tests.Faces.Nets.MediaPipe;

public sealed class RotatedRoiTests
{
    private static void Near(Point2f expected, Point2f actual) =>
        Assert.True(Math.Abs(expected.X - actual.X) < 1e-3 && Math.Abs(expected.Y - actual.Y) < 1e-3, $"expected {expected}, got {actual}");

    [Fact]
    public void TheFaceCropIsTheBoxsLongerSideTimesOneAndAHalfLevelledOnTheEyes()
    {
        // Eyes 40 px apart, the subject's left eye 40 px lower: the head leans 45° (y points down).
        var face = new FaceDetection(new Rect2f(100, 50, 80, 100), 0.9f,
            [new(120, 80), new(160, 120), new(140, 110), new(140, 130), new(100, 90), new(180, 90)]);
        var roi = RotatedRoi.ForFace(face);
        Assert.Equal((140f, 100f, 150f), (roi.CentreX, roi.CentreY, roi.Side));
        Assert.Equal(Math.PI / 4, roi.Rotation, 6);
        var map = roi.CropToFrame(192);
        Near(new(140, 100), map.Apply(96, 96));
        // The crop's x axis runs along the eye line, its y axis at +90° from it.
        float h = 75 / MathF.Sqrt(2);
        Near(new(140 + h, 100 + h), map.Apply(192, 96));
        Near(new(140 - h, 100 + h), map.Apply(96, 192));
        var back = map.Inverse().Apply(140 + h, 100 + h);
        Near(new(192, 96), back);
    }

    [Fact]
    public void AnEyeCropIsTheCornersLongerExtentTimesTwoPointThreeAndMirrorsOnRequest()
    {
        // MediaPipe measures the corners' bounding box in the frame's axes: 30 × 10 px → 30 × 2.3.
        var roi = RotatedRoi.ForEye(new Point2f(100, 100), new Point2f(130, 110));
        Assert.Equal((115f, 105f), (roi.CentreX, roi.CentreY));
        Assert.Equal(69f, roi.Side, 4);
        Assert.Equal(Math.Atan2(10, 30), roi.Rotation, 6);
        var plain = roi.CropToFrame(64);
        var mirrored = roi.CropToFrame(64, flip: true);
        Near(plain.Apply(10, 20), mirrored.Apply(54, 20));
        Near(plain.Apply(32, 32), mirrored.Apply(32, 32));
    }

    [Fact]
    public void ComposedMapsGoThroughBothCrops()
    {
        var outer = new RotatedRoi(300, 200, 190, 0.3f).CropToFrame(192);
        var inner = new RotatedRoi(280, 190, 50, 0.1f).CropToFrame(64);
        var innerToOuter = outer.Inverse().After(inner);
        Near(outer.Apply(innerToOuter.Apply(5, 60).X, innerToOuter.Apply(5, 60).Y), inner.Apply(5, 60));
    }
}
