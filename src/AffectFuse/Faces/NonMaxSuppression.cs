using OpenCvSharp;

namespace AffectFuse.Faces;

/// <summary>Non-maximum suppression of overlapping face detections. Written by hand: OpenCV's NMSBoxes does not
/// carry key points nor do MediaPipe's weighted blending.</summary>
internal static class NonMaxSuppression
{
    /// <summary>Plain NMS: keeps the best-scoring detection of each group whose IoU exceeds <paramref name="iouThreshold"/>.</summary>
    public static List<FaceDetection> Hard(IEnumerable<FaceDetection> detections, float iouThreshold)
    {
        var remaining = detections.OrderByDescending(d => d.Score).ToList();
        var kept = new List<FaceDetection>();
        while (remaining.Count > 0)
        {
            var best = remaining[0];
            kept.Add(best);
            remaining.RemoveAll(d => ReferenceEquals(d, best) || FaceDetection.IoU(d.Box, best.Box) > iouThreshold);
        }
        return kept;
    }

    /// <summary>Weighted NMS as MediaPipe does for faces: each group of detections overlapping the best one by more than
    /// <paramref name="iouThreshold"/> becomes one detection whose box and key points are the score-weighted mean of the
    /// group and whose score is the best one's. Steadier boxes than plain NMS from frame to frame.</summary>
    public static List<FaceDetection> Weighted(IEnumerable<FaceDetection> detections, float iouThreshold)
    {
        var remaining = detections.OrderByDescending(d => d.Score).ToList();
        var kept = new List<FaceDetection>();
        while (remaining.Count > 0)
        {
            var best = remaining[0];
            var group = remaining.Where(d => ReferenceEquals(d, best) || FaceDetection.IoU(d.Box, best.Box) > iouThreshold).ToList();
            remaining.RemoveAll(group.Contains);
            kept.Add(group.Count == 1 ? best : Blend(group, best.Score));
        }
        return kept;
    }

    private static FaceDetection Blend(List<FaceDetection> group, float score)
    {
        float total = 0, x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        var points = new Point2f[FaceDetection.KeypointCount];
        foreach (var d in group)
        {
            float w = d.Score;
            total += w;
            x0 += d.Box.X * w;
            y0 += d.Box.Y * w;
            x1 += (d.Box.X + d.Box.Width) * w;
            y1 += (d.Box.Y + d.Box.Height) * w;
            for (int k = 0; k < points.Length; k++)
                points[k] = new Point2f(points[k].X + d.Keypoints[k].X * w, points[k].Y + d.Keypoints[k].Y * w);
        }
        for (int k = 0; k < points.Length; k++)
            points[k] = new Point2f(points[k].X / total, points[k].Y / total);
        return new FaceDetection(new Rect2f(x0 / total, y0 / total, (x1 - x0) / total, (y1 - y0) / total), score, points);
    }
}
