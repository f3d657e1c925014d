using AffectFuse.Decoding;
using AffectFuse.Inference;
using OpenCvSharp;

namespace AffectFuse.Reporting;

/// <summary>A small picture of each expression segment for the report: the segment's middle frame with the followed
/// face's box drawn in the segment's class colour, JPEG-encoded. People would rather look than read which face a label
/// belongs to, above all when several people are followed.</summary>
internal static class SegmentKeyframes
{
    /// <summary>Width of a keyframe in pixels (the height follows the video's aspect).</summary>
    public const int Width = 160;

    private const int JpegQuality = 80;

    /// <summary>One JPEG per segment, for the first <paramref name="max"/> segments, from one pass over
    /// <paramref name="video"/> that stops after the last frame needed. A segment whose frame did not decode gets null.</summary>
    public static byte[]?[] Render(string video, VideoPrediction prediction, IReadOnlyList<ExpressionSegment> segments, int max)
    {
        int count = Math.Min(segments.Count, max);
        var wanted = new Dictionary<int, List<int>>();
        for (int s = 0; s < count; s++)
        {
            int frame = (segments[s].StartFrame + segments[s].EndFrame - 1) / 2;
            if (!wanted.TryGetValue(frame, out var list))
                wanted[frame] = list = [];
            list.Add(s);
        }
        var jpegs = new byte[]?[count];
        if (count == 0)
            return jpegs;
        int last = wanted.Keys.Max();
        using var decoder = VideoDecoder.Open(video);
        foreach (var frame in decoder.ReadFrames())
        {
            using (frame)
            {
                if (wanted.TryGetValue(frame.Index, out var owners))
                {
                    byte[] jpeg = Picture(frame.Image, prediction, frame.Index);
                    foreach (int s in owners)
                        jpegs[s] = jpeg;
                }
                if (frame.Index >= last)
                    break;
            }
        }
        return jpegs;
    }

    // The frame shrunk to Width, with the face's box (fractions of the frame) in the frame's label colour.
    private static byte[] Picture(Mat image, VideoPrediction prediction, int frame)
    {
        int height = Math.Max(1, (int)Math.Round((double)image.Height * Width / Math.Max(1, image.Width)));
        using var small = image.Resize(new Size(Width, height), 0, 0, InterpolationFlags.Area);
        if (prediction.Boxes is { } boxes && frame < prediction.FrameCount && !float.IsNaN(boxes[frame * 4]))
        {
            var box = new Rect((int)(boxes[frame * 4] * Width), (int)(boxes[frame * 4 + 1] * height),
                (int)(boxes[frame * 4 + 2] * Width), (int)(boxes[frame * 4 + 3] * height));
            var colour = ClassColours.Bgr(prediction.Labels[frame]);
            Cv2.Rectangle(small, box, colour, 2);
        }
        return small.ImEncode(".jpg", new ImageEncodingParam(ImwriteFlags.JpegQuality, JpegQuality));
    }
}
