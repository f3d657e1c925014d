using AffectFuse.Faces;
using OpenCvSharp;
using Xunit;

namespace AffectFuse.Tests.Faces;

public sealed class TwoFaceTrackingTests
{
    private const int W = 640, H = 360;

    private static List<TrackedFace> Track(IEnumerable<Mat> frames, FaceTrackerOptions options)
    {
        var tracker = new FaceTracker(FaceScenes.Detector, options);
        var faces = new List<TrackedFace>();
        foreach (var t in tracker.Track(FaceScenes.AsFrames(frames)))
            using (t)
                faces.Add(FaceScenes.Followed(t));
        return faces;
    }

    [Theory]
    [InlineData(90, 3)]   // a smaller face appears
    [InlineData(170, 3)]  // a larger face appears: "largest" must not switch to it mid-track
    [InlineData(170, 1)]
    public void TrackKeepsTheOriginalFaceWhenASecondOneAppears(int newcomerSize, int detectEvery)
    {
        using var background = FaceScenes.Background(W, H);
        using var original = FaceScenes.Head(130);
        using var newcomer = FaceScenes.Head(newcomerSize);
        // Original drifts slowly at the left; from frame 8 the second face walks in from the right and stops.
        var frames = Enumerable.Range(0, 30).Select(i =>
        {
            var f = background.Clone();
            FaceScenes.Paste(f, original, 150 + i, 180);
            if (i >= 8)
                FaceScenes.Paste(f, newcomer, Math.Max(470, W + 100 - (i - 8) * 25), 180);
            return f;
        });

        var faces = Track(frames, new FaceTrackerOptions { DetectEvery = detectEvery, Selection = FaceSelection.Largest });

        Assert.Equal(30, faces.Count);
        for (int i = 0; i < faces.Count; i++)
        {
            Assert.True(faces[i].Present, $"frame {i}: tracked face lost");
            var c = FaceScenes.Centre(faces[i].Box);
            Assert.True(Math.Abs(c.X - (150 + i)) < 20 && Math.Abs(c.Y - 180) < 20, $"frame {i}: track at ({c.X:F0},{c.Y:F0}), original at ({150 + i},180)");
        }
    }

    [Theory]
    [InlineData(FaceSelection.Left, 170)]
    [InlineData(FaceSelection.Right, 470)]
    [InlineData(FaceSelection.Largest, 470)]
    public void SelectionPicksTheRequestedPerson(FaceSelection selection, int expectedX)
    {
        using var background = FaceScenes.Background(W, H);
        using var left = FaceScenes.Head(120);
        using var right = FaceScenes.Head(150);
        var frames = Enumerable.Range(0, 7).Select(_ =>
        {
            var f = background.Clone();
            FaceScenes.Paste(f, left, 170, 180);
            FaceScenes.Paste(f, right, 470, 180);
            return f;
        });

        var faces = Track(frames, new FaceTrackerOptions { Selection = selection });

        Assert.All(faces, f =>
        {
            Assert.True(f.Present);
            Assert.InRange(FaceScenes.Centre(f.Box).X, expectedX - 20, expectedX + 20);
        });
    }

    [Fact]
    public void LoneFaceOnTheOtherSideIsNotTakenForTheRequestedPerson()
    {
        using var background = FaceScenes.Background(W, H);
        using var head = FaceScenes.Head(130);
        var frames = Enumerable.Range(0, 4).Select(_ =>
        {
            var f = background.Clone();
            FaceScenes.Paste(f, head, 480, 180);
            return f;
        }).ToList();

        var asLeft = Track(frames.Select(f => f.Clone()), new FaceTrackerOptions { Selection = FaceSelection.Left });
        var asRight = Track(frames, new FaceTrackerOptions { Selection = FaceSelection.Right });

        Assert.All(asLeft, f => Assert.False(f.Present));
        Assert.All(asRight, f => Assert.True(f.Present));
    }
}
