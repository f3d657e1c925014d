using OpenCvSharp;

namespace AffectFuse.Benchmarks.Compose;

/// <summary>A smooth procedural scene twice the frame size that pans along a slow Lissajous path while its brightness
/// and tint drift, so the background moves without any external image.</summary>
public sealed class BackgroundTexture : IDisposable
{
    private readonly Mat _texture;
    private readonly int _width, _height, _fps;
    private readonly double _periodX, _periodY, _phaseX, _phaseY, _lightPeriod, _lightPhase;

    /// <summary>Builds the texture for frames of <paramref name="width"/>×<paramref name="height"/>.</summary>
    public BackgroundTexture(int width, int height, int fps, Random rng)
    {
        _width = width;
        _height = height;
        _fps = fps;
        // Coarse random colours blown up with bicubic interpolation and blurred: large soft blobs like an out-of-focus room.
        using var coarse = new Mat(Math.Max(3, height / 40), Math.Max(3, width / 40), MatType.CV_8UC3);
        var lo = new Scalar(rng.Next(20, 90), rng.Next(20, 90), rng.Next(20, 90));
        var hi = new Scalar(lo.Val0 + rng.Next(60, 150), lo.Val1 + rng.Next(60, 150), lo.Val2 + rng.Next(60, 150));
        Cv2.Randu(coarse, lo, hi);
        _texture = new Mat();
        Cv2.Resize(coarse, _texture, new Size(2 * width, 2 * height), 0, 0, InterpolationFlags.Cubic);
        Cv2.GaussianBlur(_texture, _texture, new Size(0, 0), Math.Max(2, width / 64.0));
        _periodX = 20 + 20 * rng.NextDouble();
        _periodY = 25 + 20 * rng.NextDouble();
        _phaseX = 2 * Math.PI * rng.NextDouble();
        _phaseY = 2 * Math.PI * rng.NextDouble();
        _lightPeriod = 8 + 8 * rng.NextDouble();
        _lightPhase = 2 * Math.PI * rng.NextDouble();
    }

    /// <summary>Writes the background of frame <paramref name="frame"/> into <paramref name="target"/> (BGR, frame size).</summary>
    public void Render(int frame, Mat target)
    {
        double t = (double)frame / _fps;
        int x = (int)Math.Round(_width / 2.0 * (1 + Math.Sin(2 * Math.PI * t / _periodX + _phaseX)));
        int y = (int)Math.Round(_height / 2.0 * (1 + Math.Sin(2 * Math.PI * t / _periodY + _phaseY)));
        x = Math.Clamp(x, 0, _width);
        y = Math.Clamp(y, 0, _height);
        using var view = new Mat(_texture, new Rect(x, y, _width, _height));
        double gain = 1 + 0.15 * Math.Sin(2 * Math.PI * t / _lightPeriod + _lightPhase);
        view.ConvertTo(target, MatType.CV_8UC3, gain, 0);
    }

    /// <inheritdoc />
    public void Dispose() => _texture.Dispose();
}
