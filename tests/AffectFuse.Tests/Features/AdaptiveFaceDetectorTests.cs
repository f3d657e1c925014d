using AffectFuse.Faces;
using AffectFuse.Features;
using OpenCvSharp;
using Xunit;

namespace AffectFuse.Tests.Features;

public class AdaptiveFaceDetectorTests
{
    [Fact]
    public void FrontModelRunsOnlyWhileTheFaceIsLargeAndTheBackModelCatchesWhatItMisses()
    {
        using var frame = new Mat(480, 640, MatType.CV_8UC3);
        // 0.12 × 640 = 76.8 px is the smallest face trusted to the front model.
        var back = new ScriptedFaceDetector([50], [100], [100], [100]);
        var front = new ScriptedFaceDetector([100], [], [60]);
        var detector = new AdaptiveFaceDetector(back, front);

        Assert.Equal(50, detector.Detect(frame)[0].Box.Width);   // back: small face, so front is not tried next
        Assert.Equal(100, detector.Detect(frame)[0].Box.Width);  // back again: now a large face
        Assert.Equal((2, 0), (back.Calls, front.Calls));
        Assert.Equal(100, detector.Detect(frame)[0].Box.Width);  // front finds it
        Assert.Equal((2, 1), (back.Calls, front.Calls));
        Assert.Equal(100, detector.Detect(frame)[0].Box.Width);  // front finds nothing: back answers
        Assert.Equal((3, 2), (back.Calls, front.Calls));
        Assert.Equal(100, detector.Detect(frame)[0].Box.Width);  // front finds only a small face: back answers
        Assert.Equal((4, 3), (back.Calls, front.Calls));
        Assert.Equal((3, 4), (detector.FrontRuns, detector.BackRuns));
    }

    [Fact]
    public void WithEveryFaceTheFrontModelIsTrustedOnlyWhileEveryFaceIsLargeAndTheBackModelLooksAgainEveryFifthRun()
    {
        using var frame = new Mat(480, 640, MatType.CV_8UC3);
        var back = new ScriptedFaceDetector([100, 50], [100, 100], [100, 100], [100, 100, 40]);
        var front = new ScriptedFaceDetector([100, 100], [100], [100, 100]);
        var detector = new AdaptiveFaceDetector(back, front, everyFace: true);

        Assert.Equal(2, detector.Detect(frame).Count);          // back: one face is small, so front is not tried next
        Assert.Equal(2, detector.Detect(frame).Count);          // back again: both large now
        Assert.Equal((2, 0), (back.Calls, front.Calls));
        Assert.Equal(2, detector.Detect(frame).Count);          // front finds both
        Assert.Equal(2, detector.Detect(frame).Count);          // front finds one of two: back answers
        Assert.Equal((3, 2), (back.Calls, front.Calls));
        Assert.Equal(2, detector.Detect(frame).Count);          // front again
        Assert.Equal((3, 3), (back.Calls, front.Calls));
    }

    [Fact]
    public void WithEveryFaceTheBackModelLooksAgainEvenWhileTheFrontModelFindsEveryone()
    {
        using var frame = new Mat(480, 640, MatType.CV_8UC3);
        var back = new ScriptedFaceDetector([100, 100]);
        var front = new ScriptedFaceDetector([100, 100]);
        var detector = new AdaptiveFaceDetector(back, front, everyFace: true);
        for (int i = 0; i < 1 + 2 * AdaptiveFaceDetector.EveryFaceRescan; i++)
            detector.Detect(frame);
        // back, then front four times and back once, twice over
        Assert.Equal((3, 8), (back.Calls, front.Calls));
    }
}
