using OpenCvSharp;

namespace AffectFuse.Faces.Nets.MediaPipe;

/// <summary>A 2-D affine map <c>(x, y) → (A x + B y + C, D x + E y + F)</c>: how crop pixels relate to frame pixels.</summary>
internal readonly record struct Affine2D(double A, double B, double C, double D, double E, double F)
{
    public Point2f Apply(double x, double y) => new((float)(A * x + B * y + C), (float)(D * x + E * y + F));

    /// <summary>This map after <paramref name="first"/>: <c>this(first(p))</c>.</summary>
    public Affine2D After(Affine2D first) => new(
        A * first.A + B * first.D, A * first.B + B * first.E, A * first.C + B * first.F + C,
        D * first.A + E * first.D, D * first.B + E * first.E, D * first.C + E * first.F + F);

    public Affine2D Inverse()
    {
        double det = A * E - B * D;
        if (Math.Abs(det) < 1e-12)
            throw new InvalidOperationException("a degenerate crop (zero size) has no inverse");
        double a = E / det, b = -B / det, d = -D / det, e = A / det;
        return new(a, b, -(a * C + b * F), d, e, -(d * C + e * F));
    }

    /// <summary>The 2×3 matrix OpenCV's warps take.</summary>
    public Mat ToMat() => Mat.FromPixelData(2, 3, MatType.CV_64FC1, new[] { A, B, C, D, E, F });
}
