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
        // A few coarse random colours around one muted base colour, blown up with bicubic interpolation and blurred:
        // large soft blobs like an out-of-focus room, plus a light-to-dark gradient as from a window.
        using var coarse = new Mat(Math.Max(3, height / 100), Math.Max(3, width / 100), MatType.CV_8UC3);
        int b = rng.Next(60, 180), g = rng.Next(60, 180), r = rng.Next(60, 180);
        Cv2.Randu(coarse, new Scalar(b - 45, g - 45, r - 45), new Scalar(b + 45, g + 45, r + 45));
        _texture = new Mat();
        Cv2.Resize(coarse, _texture, new Size(2 * width, 2 * height), 0, 0, InterpolationFlags.Cubic);
        Cv2.GaussianBlur(_texture, _texture, new Size(0, 0), Math.Max(2, width / 40.0));
        double tilt = 2 * Math.PI * rng.NextDouble();
        var along = new[] { 0.0, Math.Cos(tilt), Math.Sin(tilt), Math.Cos(tilt) + Math.Sin(tilt) }; // corners (0,0) (1,0) (0,1) (1,1)
        double low = along.Min(), high = along.Max();
        using var corners = new Mat(2, 2, MatType.CV_32FC3);
        for (int i = 0; i < 4; i++)
        {
            float shade = (float)(0.7 + 0.6 * (along[i] - low) / (high - low));
            corners.Set(i / 2, i % 2, new Vec3f(shade, shade, shade));
        }
        using var shaded = new Mat();
        Cv2.Resize(corners, shaded, new Size(2 * width, 2 * height), 0, 0, InterpolationFlags.Linear);
        using var textureF = new Mat();
        _texture.ConvertTo(textureF, MatType.CV_32FC3);
        Cv2.Multiply(textureF, shaded, textureF);
        textureF.ConvertTo(_texture, MatType.CV_8UC3);
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
