using AffectFuse.Features.Visual;
using Xunit;

namespace AffectFuse.Tests.Features.Visual;

public class LandmarkGeometryTests
{
    // A schematic face in iBUG-68 numbering: eyes 40 px apart on y = 50, mouth corners at y = 90.
    private static float[] Face(float mouthOpen, float cornerLift, float browHeight)
    {
        var p = new float[136];
        void Set(int i, float x, float y) { p[2 * i] = x; p[2 * i + 1] = y; }
        for (int i = 0; i <= 16; i++) Set(i, 20 + 5 * i, 60 + 3 * Math.Min(i, 16 - i));       // jaw, chin (8) lowest
        for (int i = 17; i <= 21; i++) Set(i, 22 + 4 * (i - 17), 50 - browHeight);             // right brow
        for (int i = 22; i <= 26; i++) Set(i, 62 + 4 * (i - 22), 50 - browHeight);             // left brow
        for (int i = 27; i <= 35; i++) Set(i, 50, 55 + 2 * (i - 27));                           // nose
        Set(31, 45, 72); Set(35, 55, 72);
        float[] eyeX = [24, 28, 32, 36, 32, 28];
        float[] eyeY = [0, -3, -3, 0, 3, 3];
        for (int k = 0; k < 6; k++) { Set(36 + k, eyeX[k], 50 + eyeY[k]); Set(42 + k, eyeX[k] + 40, 50 + eyeY[k]); }
        for (int i = 48; i <= 59; i++) Set(i, 50, 90);
        Set(48, 38, 90 - cornerLift); Set(54, 62, 90 - cornerLift); Set(51, 50, 86); Set(57, 50, 94);
        for (int i = 60; i <= 67; i++) Set(i, 50, 90);
        Set(62, 50, 90 - mouthOpen / 2); Set(66, 50, 90 + mouthOpen / 2);
        return p;
    }

    private static float Measure(float[] face, string name)
    {
        var m = new float[LandmarkGeometry.Count];
        LandmarkGeometry.Measure(face, m);
        return m[LandmarkGeometry.MeasureNames.ToList().IndexOf(name)];
    }

    [Fact]
    public void MeasuresAreRatiosOfTheInterOcularDistance()
    {
        var face = Face(mouthOpen: 8, cornerLift: 0, browHeight: 10);
        Assert.Equal(8 / 40f, Measure(face, "mouth_open"), 5);
        Assert.Equal(24 / 40f, Measure(face, "mouth_width"), 5);
        Assert.Equal(10 / 40f, Measure(face, "brow_raise_left"), 5);
        Assert.Equal(6 / 12f, Measure(face, "eye_open_right"), 5);
        // Scaling the whole face changes nothing.
        var bigger = face.Select(v => 3 * v).ToArray();
        Assert.Equal(Measure(face, "mouth_open"), Measure(bigger, "mouth_open"), 5);
    }

    [Fact]
    public void ASmileLiftsTheCornersAndRaisedBrowsRise()
    {
        Assert.True(Measure(Face(0, cornerLift: 4, browHeight: 10), "lip_corner_lift") > Measure(Face(0, 0, 10), "lip_corner_lift"));
        Assert.True(Measure(Face(0, 0, browHeight: 16), "brow_raise_right") > Measure(Face(0, 0, browHeight: 10), "brow_raise_right"));
    }

    [Fact]
    public void ChangesArePerFrameAndZeroAcrossAnAbsence()
    {
        var history = new LandmarkHistory();
        var delta = new float[2];
        history.Delta(3, continues: true, [1f, 2f], delta);
        Assert.Equal([0f, 0f], delta); // nothing before
        history.Delta(4, true, [1.5f, 1f], delta);
        Assert.Equal([0.5f, -1f], delta);
        history.Delta(6, true, [2.5f, 1f], delta); // the nets skipped frame 5 (--face-every 2)
        Assert.Equal([0.5f, 0f], delta);
        history.Delta(9, continues: false, [9f, 9f], delta); // the face was missing on frames 7 and 8
        Assert.Equal([0f, 0f], delta);
        Assert.Throws<ArgumentException>(() => history.Delta(9, true, [1f, 1f], delta));
    }
}
