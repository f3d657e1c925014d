using Xunit;

namespace AffectFuse.Tests.Faces;

public sealed class FaceTrackingVideoTests(MovingFaceVideoFixture video, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<MovingFaceVideoFixture>
{
    private static string Presence(IEnumerable<AffectFuse.Faces.TrackedFace> faces) =>
        string.Concat(faces.Select(f => f.Detected ? 'D' : f.Present ? 'i' : '.'));

    [Fact]
    public void FaceIsFoundWhereItIsAndNotWhereItIsNot()
    {
        Assert.Equal(MovingFaceVideoFixture.Frames, video.EveryFrame.Count);
        double tolerance = 0.25 * MovingFaceVideoFixture.FaceSize;
        foreach (var faces in new[] { video.EveryFrame, video.Sparse })
        {
            for (int i = 0; i < faces.Count; i++)
            {
                Assert.Equal(i, faces[i].FrameIndex);
                bool? expected = MovingFaceVideoFixture.Expected(i);
                if (expected is null)
                    continue;
                Assert.True(expected == faces[i].Present, $"frame {i}: present {faces[i].Present}, expected {expected}");
                if (!faces[i].Present)
                    continue;
                var (x, y) = MovingFaceVideoFixture.TruePosition(i);
                var c = FaceScenes.Centre(faces[i].Box);
                Assert.True(Math.Abs(c.X - x) < tolerance && Math.Abs(c.Y - y) < tolerance,
                    $"frame {i}: box centre ({c.X:F0},{c.Y:F0}), face at ({x},{y})");
                Assert.InRange(faces[i].Box.Width, 0.6 * MovingFaceVideoFixture.FaceSize, 1.5 * MovingFaceVideoFixture.FaceSize);
            }
        }
    }

    [Fact]
    public void DetectingSparseFrameMakesTheSamePresenceDecisions()
    {
        output.WriteLine($"every frame: {Presence(video.EveryFrame)} ({video.EveryFrameRuns} detector runs)");
        output.WriteLine($"every N-th: {Presence(video.Sparse)} ({video.SparseRuns} detector runs)");
        var every = video.EveryFrame.Select(f => f.Present).ToArray();
        var third = video.Sparse.Select(f => f.Present).ToArray();
        Assert.Equal(every, third);
        Assert.Equal(MovingFaceVideoFixture.Frames, video.EveryFrameRuns);
        Assert.True(video.SparseRuns < 0.6 * MovingFaceVideoFixture.Frames,
            $"every-N-th-frame tracking ran the detector {video.SparseRuns} times on {MovingFaceVideoFixture.Frames} frames");
        Assert.Contains(video.Sparse, f => f.Present && !f.Detected);
    }
}
