using AffectFuse.Decoding;
using AffectFuse.Faces;
using AffectFuse.Tests.Decoding;
using OpenCvSharp;

namespace AffectFuse.Tests.Faces;

/// <summary>A 100-frame 480×360 H.264 video of the astronaut's face crossing a background and leaving the frame,
/// tracked once detecting on every frame and once every N-th frame as `extract` ships (ExtractionOptions.DetectEvery).</summary>
public sealed class MovingFaceVideoFixture : IDisposable
{
    public const int Width = 480, Height = 360, Frames = 100, HeadSize = 130;
    private readonly TestMedia _media = new();

    public MovingFaceVideoFixture()
    {
        Path = _media.PathOf("moving-face.mp4");
        using var background = FaceScenes.Background(Width, Height);
        using var head = FaceScenes.Head(HeadSize);
        TestMedia.Encode(Path, Enumerable.Range(0, Frames).Select(i =>
        {
            var frame = background.Clone();
            var (cx, cy) = TruePosition(i);
            FaceScenes.Paste(frame, head, cx, cy);
            return frame;
        }), Width, Height, 25);

        EveryFrame = Track(1, out int runs1);
        Sparse = Track(new AffectFuse.Features.ExtractionOptions().DetectEvery, out int runs3);
        EveryFrameRuns = runs1;
        SparseRuns = runs3;
    }

    public string Path { get; }
    internal List<TrackedFace> EveryFrame { get; }
    internal List<TrackedFace> Sparse { get; }
    public int EveryFrameRuns { get; }
    public int SparseRuns { get; }

    /// <summary>Head centre in frame <paramref name="i"/>: off-frame (0–9), crossing left to right and out (10–69),
    /// off-frame (70–79), still in the middle (80–99).</summary>
    public static (int X, int Y) TruePosition(int i) => i switch
    {
        < 10 => (-300, 180),
        < 70 => (100 + (i - 10) * 6, 180 + (int)Math.Round(30 * Math.Sin(i / 8.0))),
        < 80 => (Width + 300, 180),
        _ => (240, 170),
    };

    public static double FaceSize => HeadSize * FaceScenes.FaceFraction;

    /// <summary>True when the whole face is inside the frame, false when the whole head is outside, null in between.</summary>
    public static bool? Expected(int i)
    {
        var (x, y) = TruePosition(i);
        double half = FaceSize / 2 + 4;
        if (x - half >= 0 && x + half <= Width && y - half >= 0 && y + half <= Height)
            return true;
        if (x + HeadSize / 2 < 0 || x - HeadSize / 2 > Width)
            return false;
        return null;
    }

    private List<TrackedFace> Track(int every, out int detectorRuns)
    {
        using var decoder = VideoDecoder.Open(Path);
        var tracker = new FaceTracker(FaceScenes.Detector, new FaceTrackerOptions { DetectEvery = every });
        var faces = new List<TrackedFace>();
        foreach (var t in tracker.Track(decoder.ReadFrames()))
            using (t)
                faces.Add(FaceScenes.Followed(t));
        detectorRuns = tracker.DetectorRuns;
        return faces;
    }

    public void Dispose() => _media.Dispose();
}
