using OpenCvSharp;

namespace AffectFuse.Faces;

/// <summary>A face's colour signature for telling people apart when a track is lost and a face comes back: the
/// hue–saturation histogram of the inner face box (skin, eyes, brows and lips; the inset keeps background and hair
/// out), compared by the Bhattacharyya distance (0 = the same distribution, 1 = disjoint).</summary>
/// <remarks>A histogram rather than face-api's 128-d recognition descriptor: it costs about 0.1 ms a face, which lets
/// the tracker compare every detection with every lost person. It tells people apart by skin tone, lighting on the
/// face and make-up, not by identity, so it only confirms a return that position and size already allow.</remarks>
internal sealed class FaceAppearance
{
    private const int HueBins = 16, SaturationBins = 8;
    private static readonly int[] Channels = [0, 1];
    private static readonly int[] Bins = [HueBins, SaturationBins];
    private static readonly Rangef[] Ranges = [new(0, 180), new(0, 256)];

    // L1-normalised bins: a few hundred bytes, no native memory to release.
    private readonly float[] _bins;

    private FaceAppearance(float[] bins) => _bins = bins;

    /// <summary>The signature of the face in <paramref name="box"/> of the BGR <paramref name="frame"/>, or null when the
    /// inner box holds too few pixels to say anything.</summary>
    public static FaceAppearance? Of(Mat frame, Rect2f box)
    {
        var inner = new Rect((int)(box.X + box.Width * 0.2f), (int)(box.Y + box.Height * 0.15f),
            (int)(box.Width * 0.6f), (int)(box.Height * 0.7f)) & new Rect(0, 0, frame.Width, frame.Height);
        if (inner.Width < 8 || inner.Height < 8)
            return null;
        using var region = new Mat(frame, inner);
        using var hsv = region.CvtColor(ColorConversionCodes.BGR2HSV);
        using var histogram = new Mat();
        Cv2.CalcHist([hsv], Channels, null, histogram, 2, Bins, Ranges);
        Cv2.Normalize(histogram, histogram, 1, 0, NormTypes.L1);
        histogram.GetArray(out float[] bins);
        return new FaceAppearance(bins);
    }

    /// <summary>Bhattacharyya distance to <paramref name="other"/>, in [0, 1] (OpenCV's HISTCMP_BHATTACHARYYA for
    /// normalised histograms; written out because the bins live in managed arrays).</summary>
    public double DistanceTo(FaceAppearance other)
    {
        double overlap = 0;
        for (int i = 0; i < _bins.Length; i++)
            overlap += Math.Sqrt((double)_bins[i] * other._bins[i]);
        return Math.Sqrt(Math.Max(0, 1 - overlap));
    }

    /// <summary>A running blend of this signature and a newer one (<paramref name="weight"/> on the newer), so a
    /// person's signature follows slow changes of light without being replaced by one odd frame.</summary>
    public FaceAppearance Blend(FaceAppearance newer, float weight)
    {
        var bins = new float[_bins.Length];
        for (int i = 0; i < bins.Length; i++)
            bins[i] = (1 - weight) * _bins[i] + weight * newer._bins[i];
        return new FaceAppearance(bins);
    }
}
