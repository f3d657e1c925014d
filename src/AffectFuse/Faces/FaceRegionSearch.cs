using OpenCvSharp;

namespace AffectFuse.Faces;

/// <summary>Looks for faces again where they were: a detector (the 128-px front model) on a square around each face last
/// found, <see cref="RegionScale"/> face widths wide and cut to the frame, so that a small face fills the model's input
/// as a close-up does. MediaPipe's face pipelines follow a face the same way, from a region of the last frame, and run the
/// full-frame detector only when it is lost.</summary>
internal static class FaceRegionSearch
{
    /// <summary>Side of the searched square in face widths: the face fills about 40 % of the front model's input, the
    /// size it finds best, with room for the face to have moved between two detections.</summary>
    public const float RegionScale = 2.5f;

    /// <summary>Smallest face, in frame pixels, looked for in its region: below it the crop is too coarse for the model.</summary>
    public const float MinFaceWidth = 24;

    // A face found in a region must be about the size it was (the 1.6 of the tracker's default gate), or the region saw
    // something else.
    private const float MaxSizeRatio = 1.6f;

    /// <summary>Whether every face in <paramref name="faces"/> can be looked for in its region.</summary>
    public static bool CanSearch(IReadOnlyList<FaceDetection> faces) => faces.Count > 0 && faces.All(f => f.Box.Width >= MinFaceWidth);

    /// <summary>Each face of <paramref name="last"/> found again in its region of <paramref name="bgr"/> (the detection
    /// nearest where it was, in frame pixels), or null when any one is not found there at about its size, or two regions
    /// found the same face (the search stops there); <paramref name="runs"/> counts the detector's runs.</summary>
    public static List<FaceDetection>? Find(IFaceDetector detector, Mat bgr, IReadOnlyList<FaceDetection> last, out int runs)
    {
        var found = new List<FaceDetection>(last.Count);
        runs = 0;
        foreach (var face in last)
        {
            var region = Region(face.Box, bgr.Width, bgr.Height);
            if (region.Width < 2 || region.Height < 2)
                return null;
            IReadOnlyList<FaceDetection> inRegion;
            using (var crop = new Mat(bgr, region))
                inRegion = detector.Detect(crop);
            runs++;
            var centre = new Point2f(face.Centre.X - region.X, face.Centre.Y - region.Y);
            var nearest = inRegion.MinBy(d => d.Centre.DistanceTo(centre));
            if (nearest is null || nearest.SizeChangeFrom(face.Box.Width) > MathF.Log(MaxSizeRatio))
                return null;
            var again = Shifted(nearest, region.X, region.Y);
            if (found.Any(f => FaceDetection.IoU(f.Box, again.Box) > 0.5f))
                return null;
            found.Add(again);
        }
        return found;
    }

    private static Rect Region(Rect2f box, int width, int height)
    {
        float side = RegionScale * Math.Max(box.Width, box.Height);
        float cx = box.X + box.Width / 2, cy = box.Y + box.Height / 2;
        int x0 = Math.Clamp((int)MathF.Floor(cx - side / 2), 0, width), y0 = Math.Clamp((int)MathF.Floor(cy - side / 2), 0, height);
        int x1 = Math.Clamp((int)MathF.Ceiling(cx + side / 2), 0, width), y1 = Math.Clamp((int)MathF.Ceiling(cy + side / 2), 0, height);
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    private static FaceDetection Shifted(FaceDetection d, int dx, int dy) =>
        new(new Rect2f(d.Box.X + dx, d.Box.Y + dy, d.Box.Width, d.Box.Height), d.Score,
            [.. d.Keypoints.Select(p => new Point2f(p.X + dx, p.Y + dy))]);
}
