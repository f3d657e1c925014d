using OpenCvSharp;

namespace AffectFuse.Decoding;

/// <summary>A small JPEG of a frame for a page to show beside its labels: at most <see cref="MaxWidth"/> pixels wide,
/// quality 70 (about 10–20 kB at 320 × 240; a few a second cost well under a millisecond each).</summary>
internal static class FrameSnapshot
{
    /// <summary>Largest width sent; narrower frames keep their size.</summary>
    public const int MaxWidth = 320;

    /// <summary>The JPEG bytes of <paramref name="image"/> (BGR).</summary>
    public static byte[] Encode(Mat image)
    {
        if (image.Width <= MaxWidth)
            return image.ImEncode(".jpg", new ImageEncodingParam(ImwriteFlags.JpegQuality, 70));
        using var small = new Mat();
        Cv2.Resize(image, small, new Size(MaxWidth, Math.Max(1, (int)Math.Round(image.Height * (double)MaxWidth / image.Width))), 0, 0, InterpolationFlags.Area);
        return small.ImEncode(".jpg", new ImageEncodingParam(ImwriteFlags.JpegQuality, 70));
    }
}
