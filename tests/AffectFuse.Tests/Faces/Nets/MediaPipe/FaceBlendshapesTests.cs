using AffectFuse.Faces;
using AffectFuse.Faces.Nets.MediaPipe;
using AffectFuse.Tests.Faces;
using OpenCvSharp;
using Xunit;

namespace AffectFuse.Tests.Faces.Nets.MediaPipe;

public sealed class FaceBlendshapesTests
{
    private static int Score(string name) => BlendshapeColumns.Names.ToList().IndexOf(name);

    /// <summary>The astronaut's head (she smiles) on a background, turned by <paramref name="degrees"/> about the frame's centre.</summary>
    internal static Mat SmilingFace(double degrees, int headSize = 260)
    {
        using var upright = FaceScenes.Background(640, 480);
        using (var head = FaceScenes.Head(headSize))
            FaceScenes.Paste(upright, head, 320, 240);
        using var turn = Cv2.GetRotationMatrix2D(new Point2f(320, 240), degrees, 1);
        var frame = new Mat();
        Cv2.WarpAffine(upright, frame, turn, upright.Size(), InterpolationFlags.Linear, BorderTypes.Replicate);
        return frame;
    }

    internal static FaceDetection Detect(Mat frame)
    {
        using var detector = new BlazeFaceDetector(new BlazeFaceOptions { Model = BlazeFaceModel.Back });
        return Assert.Single(detector.Detect(frame));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(-35)]
    public void ASmilingFaceGivesFiftyTwoScoresInRangeWithTheSmileOnTopUprightOrTilted(double degrees)
    {
        using var frame = SmilingFace(degrees);
        using var chain = new FaceBlendshapes();
        var scores = new float[BlendshapeColumns.Count];
        Assert.True(chain.Compute(frame, Detect(frame), scores));
        Assert.True(chain.LastPresence > 0.9f, $"mesh presence {chain.LastPresence}");
        Assert.All(scores, v => Assert.InRange(v, 0f, 1f));
        // The rotated crops (mesh levelled on the eyes, eye crops on their corners) see the same smile at any tilt.
        Assert.True(scores[Score("mouthSmileLeft")] > 0.6f && scores[Score("mouthSmileRight")] > 0.6f,
            $"smile {scores[Score("mouthSmileLeft")]:F3} / {scores[Score("mouthSmileRight")]:F3}");
        var top = scores.Select((v, i) => (v, i)).OrderByDescending(p => p.v).Take(2).Select(p => BlendshapeColumns.Names[p.i]);
        Assert.Equal(["mouthSmileLeft", "mouthSmileRight"], top.Order());
        // Each iris centre (468, 473) lies between its eye's corners, within a third of the eye's width of their middle.
        var p = chain.Landmarks.ToArray();
        foreach (var (iris, a, b) in new[] { (468, 33, 133), (473, 362, 263) })
        {
            double mx = (p[2 * a] + p[2 * b]) / 2, my = (p[2 * a + 1] + p[2 * b + 1]) / 2;
            double width = Math.Sqrt(Math.Pow(p[2 * a] - p[2 * b], 2) + Math.Pow(p[2 * a + 1] - p[2 * b + 1], 2));
            double off = Math.Sqrt(Math.Pow(p[2 * iris] - mx, 2) + Math.Pow(p[2 * iris + 1] - my, 2));
            Assert.True(off < width / 3, $"iris {iris} is {off:F1} px from its eye's middle (eye {width:F1} px wide)");
        }
    }

    [Fact]
    public void ABlankCropIsNoFaceAndZeroScores()
    {
        using var chain = new FaceBlendshapes();
        var scores = Enumerable.Repeat(0.5f, BlendshapeColumns.Count).ToArray();
        var roi = new RotatedRoi(96, 96, 192, 0);
        Assert.False(chain.Compute(new byte[FaceBlendshapes.MeshCropBytes], roi, scores));
        Assert.True(chain.LastPresence < 0.5f);
        Assert.All(scores, v => Assert.Equal(0f, v));
    }
}
