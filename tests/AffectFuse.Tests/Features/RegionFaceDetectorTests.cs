using AffectFuse.Faces;
using AffectFuse.Features;
using AffectFuse.Tests.Faces;
using OpenCvSharp;
using Xunit;

namespace AffectFuse.Tests.Features;

public class RegionFaceDetectorTests
{
    [Fact]
    public void TheFrontModelLooksInTheLargestFacesRegionAndTheBackModelCatchesWhatItMisses()
    {
        using var frame = new Mat(480, 640, MatType.CV_8UC3);
        var back = new ScriptedFaceDetector([20], [100, 60], [100, 60], [100, 60]);
        var front = new ScriptedFaceDetector([100], [], [200], [100]);
        var detector = new RegionFaceDetector(back, front);

        Assert.Equal(20, detector.Detect(frame)[0].Box.Width);   // back: too small to look for in a region
        Assert.Equal(2, detector.Detect(frame).Count);           // back again: the largest face's region is next
        Assert.Equal((2, 0), (back.Calls, front.Calls));
        var again = Assert.Single(detector.Detect(frame));       // front finds it where it was
        Assert.Equal(new Rect2f(150, 190, 100, 100), again.Box);
        Assert.Equal((2, 1), (back.Calls, front.Calls));
        Assert.Equal(2, detector.Detect(frame).Count);           // front finds nothing: back answers
        Assert.Equal((3, 2), (back.Calls, front.Calls));
        Assert.Equal(2, detector.Detect(frame).Count);           // front finds a face twice as large: back answers
        Assert.Equal((4, 3), (back.Calls, front.Calls));
        Assert.Equal((3, 4), (detector.FrontRuns, detector.BackRuns));
    }

    [Fact]
    public void WithEveryFaceEachFaceIsLookedForInItsRegionAndTheBackModelLooksAgainEveryFifthRun()
    {
        using var frame = new Mat(480, 640, MatType.CV_8UC3);
        var back = new ScriptedFaceDetector([100, 100]);
        var front = new ScriptedFaceDetector([100]);
        var detector = new RegionFaceDetector(back, front, everyFace: true);
        for (int i = 0; i < 1 + 2 * AdaptiveFaceDetector.EveryFaceRescan; i++)
            Assert.Equal(2, detector.Detect(frame).Count);
        // back, then both regions four times and back once, twice over
        Assert.Equal((3, 16), (back.Calls, front.Calls));
    }

    [Fact]
    public void WithEveryFaceMoreFacesThanRegionsAreFoundByTheBackModelAlone()
    {
        using var frame = new Mat(480, 640, MatType.CV_8UC3);
        var back = new ScriptedFaceDetector([60, 60, 60, 60]);
        var front = new ScriptedFaceDetector([60]);
        var detector = new RegionFaceDetector(back, front, everyFace: true);
        for (int i = 0; i < 3; i++)
            Assert.Equal(4, detector.Detect(frame).Count);
        Assert.Equal((3, 0), (back.Calls, front.Calls));
    }

    // The real models on a real face, small in a large frame: the front model in the face's region finds the face the
    // back model found in the whole frame, its key points where the back model puts them on the same head filling its input.
    [Theory]
    [InlineData(60)]
    [InlineData(150)]
    public void TheFrontModelInARegionFindsTheFaceTheBackModelFound(int headSize)
    {
        const int cx = 600, cy = 300;
        using var frame = FaceScenes.Background(960, 540);
        using var head = FaceScenes.Head(headSize);
        FaceScenes.Paste(frame, head, cx, cy);
        using var front = new BlazeFaceDetector(new BlazeFaceOptions { Model = BlazeFaceModel.Front });
        var whole = Assert.Single(FaceScenes.Detector.Detect(frame));
        using var large = FaceScenes.Head(256);
        var close = Assert.Single(FaceScenes.Detector.Detect(large));
        var truth = close.Keypoints.Select(p => new Point2f(cx - headSize / 2f + p.X * headSize / 256f, cy - headSize / 2f + p.Y * headSize / 256f)).ToArray();

        var again = Assert.Single(FaceRegionSearch.Find(front, frame, [whole], out _)!);

        Assert.True(FaceDetection.IoU(whole.Box, again.Box) > 0.7, $"back {whole.Box}, front in its region {again.Box}");
        for (int k = 0; k < 4; k++) // eyes, nose, mouth
            Assert.True(Distance(truth[k], again.Keypoints[k]) < 0.1 * whole.Box.Width,
                $"key point {k}: {again.Keypoints[k]} where the close-up puts {truth[k]} (the whole frame's back model {whole.Keypoints[k]})");
    }

    private static float Distance(Point2f a, Point2f b) => MathF.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
}
