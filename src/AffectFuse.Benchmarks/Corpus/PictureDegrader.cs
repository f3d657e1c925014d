using OpenCvSharp;

namespace AffectFuse.Benchmarks.Corpus;

/// <summary>Applies a clip's lighting, blur and partial occlusion to each rendered frame (compression is x264's, at the
/// clip's CRF). Real video differs from a still photograph in exactly these ways; training on them is what lets the
/// face branch hold on real footage.</summary>
public sealed class PictureDegrader : IDisposable
{
    private readonly PictureDegradation _picture;
    private readonly Mat _lookUp = new(1, 256, MatType.CV_8UC3);
    private readonly Scalar _occluderColour;

    /// <summary>Prepares the clip's look-up table and occluder colour.</summary>
    public PictureDegrader(PictureDegradation picture, Random rng)
    {
        _picture = picture;
        for (int v = 0; v < 256; v++)
        {
            double level = Math.Pow(v / 255.0, picture.Gamma);
            _lookUp.Set(0, v, new Vec3b(Channel(level, 0), Channel(level, 1), Channel(level, 2)));
        }
        // Skin-like or clothing-like: a hand or a sleeve in front of the face.
        _occluderColour = rng.NextDouble() < 0.5
            ? new Scalar(rng.Next(60, 140), rng.Next(90, 170), rng.Next(140, 230))
            : new Scalar(rng.Next(20, 230), rng.Next(20, 230), rng.Next(20, 230));
    }

    private byte Channel(double level, int c) => (byte)Math.Clamp(Math.Round(255 * level * _picture.Tint[c]), 0, 255);

    /// <summary>Degrades <paramref name="frame"/> in place; <paramref name="face"/> is roughly where the face is.</summary>
    public void Apply(Mat frame, Rect2d face)
    {
        if (_picture.Occluder >= 0)
            Occlude(frame, face);
        Cv2.LUT(frame, _lookUp, frame);
        if (_picture.BlurSigma > 0)
            Cv2.GaussianBlur(frame, frame, new Size(0, 0), _picture.BlurSigma);
    }

    private void Occlude(Mat frame, Rect2d f)
    {
        // Each covers a part of the face that expressions use, leaving enough of it for the detector.
        var (cx, cy, w, h) = _picture.Occluder switch
        {
            0 => (0.5, 0.85, 0.6, 0.3),   // mouth and chin (a hand)
            1 => (0.15, 0.65, 0.35, 0.5), // left cheek
            2 => (0.85, 0.65, 0.35, 0.5), // right cheek
            _ => (0.3, 0.35, 0.35, 0.22), // an eye
        };
        var box = new RotatedRect(new Point2f((float)(f.X + cx * f.Width), (float)(f.Y + cy * f.Height)),
            new Size2f(w * f.Width, h * f.Height), 0);
        Cv2.Ellipse(frame, box, _occluderColour, -1, LineTypes.AntiAlias);
    }

    /// <inheritdoc />
    public void Dispose() => _lookUp.Dispose();
}
