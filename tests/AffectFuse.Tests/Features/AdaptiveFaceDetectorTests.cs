using AffectFuse.Faces;
using AffectFuse.Features;
using OpenCvSharp;
using Xunit;

namespace AffectFuse.Tests.Features;

public class AdaptiveFaceDetectorTests
{
    private sealed class Scripted(params float[][] widthsPerCall) : IFaceDetector
    {
        public int Calls { get; private set; }

        public IReadOnlyList<FaceDetection> Detect(Mat bgr)
        {
            var widths = widthsPerCall[Math.Min(Calls++, widthsPerCall.Length - 1)];
            return widths.Select(w => new FaceDetection(new Rect2f(10, 10, w, w), 0.9f, new Point2f[FaceDetection.KeypointCount])).ToList();
        }
    }

    [Fact]
    public void FrontModelRunsOnlyWhileTheFaceIsLargeAndTheBackModelCatchesWhatItMisses()
    {
        using var frame = new Mat(480, 640, MatType.CV_8UC3);
        // 0.12 × 640 = 76.8 px is the smallest face trusted to the front model.
        var back = new Scripted([50], [100], [100], [100]);
        var front = new Scripted([100], [], [60]);
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
}
