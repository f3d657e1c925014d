using OpenCvSharp;

namespace AffectFuse.Benchmarks.Compose;

/// <summary>Paints the frames of one clip: the moving background, then the segment's face photograph warped to the
/// current pose and blended through a feathered elliptical mask, or during an absent span no face, a blurred dark
/// silhouette, a squeezed sliver, or the face under an opaque shape.</summary>
public sealed class FrameRenderer : IDisposable
{
    private sealed record Photo(Mat Image, Mat Mask, Mat Silhouette) : IDisposable
    {
        public void Dispose()
        {
            Image.Dispose();
            Mask.Dispose();
            Silhouette.Dispose();
        }
    }

    private readonly ComposeOptions _options;
    private readonly ClipPlan _plan;
    private readonly string _imagesDir;
    private readonly BackgroundTexture _background;
    private readonly FaceMotion _motion;
    private readonly Dictionary<string, Photo> _photos = [];
    private readonly Scalar[] _occluderColours;
    private readonly double[] _occluderShift;
    private readonly Mat _warped = new(), _warpedMask = new(), _inverseMask = new(), _blended = new();

    /// <summary>Prepares the clip's background, motion and occluders from its render seed.</summary>
    public FrameRenderer(ComposeOptions options, ClipPlan plan, string imagesDir)
    {
        _options = options;
        _plan = plan;
        _imagesDir = imagesDir;
        var rng = new Random(plan.RenderSeed);
        _background = new BackgroundTexture(options.Width, options.Height, options.Fps, rng);
        _motion = new FaceMotion(rng);
        _occluderColours = plan.AbsentSpans.Select(_ => new Scalar(rng.Next(30, 220), rng.Next(30, 220), rng.Next(30, 220))).ToArray();
        _occluderShift = plan.AbsentSpans.Select(_ => rng.NextDouble() - 0.5).ToArray();
    }

    /// <summary>Paints frame <paramref name="frame"/> into <paramref name="target"/> (BGR, frame size, 8-bit).</summary>
    public void Render(int frame, Mat target)
    {
        _background.Render(frame, target);
        var segment = _plan.Segments.First(s => frame < s.EndFrame);
        int spanIndex = -1;
        for (int i = 0; i < _plan.AbsentSpans.Count; i++)
            if (frame >= _plan.AbsentSpans[i].StartFrame && frame < _plan.AbsentSpans[i].EndFrame)
                spanIndex = i;
        var photo = PhotoOf(segment.FaceImage);
        var pose = _motion.At((double)frame / _options.Fps);
        AbsentKind? kind = spanIndex >= 0 ? _plan.AbsentSpans[spanIndex].Kind : null;
        switch (kind)
        {
            case AbsentKind.OffFrame:
                break;
            case AbsentKind.Silhouette:
                Blend(target, photo.Silhouette, photo.Mask, pose, 1.0);
                break;
            case AbsentKind.Sliver:
                Blend(target, photo.Image, photo.Mask, pose, 0.12);
                break;
            case AbsentKind.Occluded:
                Blend(target, photo.Image, photo.Mask, pose, 1.0);
                Occlude(target, photo.Image, pose, spanIndex);
                break;
            default:
                Blend(target, photo.Image, photo.Mask, pose, 1.0);
                break;
        }
    }

    /// <summary>Roughly where the face is in frame <paramref name="frame"/>: LFW-style photographs hold it in their
    /// middle ~45 % (used to place partial occluders on it).</summary>
    public Rect2d FaceRegion(int frame)
    {
        var segment = _plan.Segments.First(s => frame < s.EndFrame);
        var image = PhotoOf(segment.FaceImage).Image;
        var pose = _motion.At((double)frame / _options.Fps);
        double s = BaseScale(image) * pose.Scale;
        double w = 0.45 * image.Width * s, h = 0.5 * image.Height * s;
        return new Rect2d(pose.CentreX * _options.Width - w / 2, pose.CentreY * _options.Height - h / 2, w, h);
    }

    private double BaseScale(Mat image) => _options.FaceScale * _options.Height / image.Height;

    private void Blend(Mat target, Mat image, Mat mask, FaceMotion.Pose pose, double squeezeX)
    {
        double s = BaseScale(image) * pose.Scale;
        double theta = pose.AngleDegrees * Math.PI / 180;
        double a = s * Math.Cos(theta), b = s * Math.Sin(theta);
        // q = A (p - photo centre) + frame point; A rotates counter-clockwise (image y points down) after squeezing x.
        double a00 = a * squeezeX, a01 = b, a10 = -b * squeezeX, a11 = a;
        double pcx = image.Width / 2.0, pcy = image.Height / 2.0;
        double cx = pose.CentreX * _options.Width, cy = pose.CentreY * _options.Height;
        double tx = cx - (a00 * pcx + a01 * pcy), ty = cy - (a10 * pcx + a11 * pcy);

        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var (px, py) in new[] { (0.0, 0.0), (image.Width, 0.0), (0.0, image.Height), (image.Width, (double)image.Height) })
        {
            double qx = a00 * px + a01 * py + tx, qy = a10 * px + a11 * py + ty;
            minX = Math.Min(minX, qx); maxX = Math.Max(maxX, qx);
            minY = Math.Min(minY, qy); maxY = Math.Max(maxY, qy);
        }
        int x0 = Math.Max(0, (int)Math.Floor(minX)), y0 = Math.Max(0, (int)Math.Floor(minY));
        int x1 = Math.Min(_options.Width, (int)Math.Ceiling(maxX)), y1 = Math.Min(_options.Height, (int)Math.Ceiling(maxY));
        if (x1 - x0 < 2 || y1 - y0 < 2)
            return;

        // Warp only into the face's bounding box: the per-frame cost follows the face size, not the frame size.
        using var m = new Mat(2, 3, MatType.CV_64FC1);
        m.Set(0, 0, a00); m.Set(0, 1, a01); m.Set(0, 2, tx - x0);
        m.Set(1, 0, a10); m.Set(1, 1, a11); m.Set(1, 2, ty - y0);
        var size = new Size(x1 - x0, y1 - y0);
        Cv2.WarpAffine(image, _warped, m, size, InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        Cv2.WarpAffine(mask, _warpedMask, m, size, InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        if (Math.Abs(pose.Gain - 1) > 1e-3)
            _warped.ConvertTo(_warped, MatType.CV_8UC3, pose.Gain, 0);
        Cv2.Subtract(Scalar.All(1), _warpedMask, _inverseMask);
        using var roi = new Mat(target, new Rect(x0, y0, size.Width, size.Height));
        Cv2.BlendLinear(_warped, roi, _warpedMask, _inverseMask, _blended);
        _blended.CopyTo(roi);
    }

    private void Occlude(Mat target, Mat image, FaceMotion.Pose pose, int spanIndex)
    {
        double s = BaseScale(image) * pose.Scale;
        // LFW-style photographs hold the face in their middle ~45 %; a shape 60–70 % of the photo covers most of it.
        var centre = new Point2f((float)(pose.CentreX * _options.Width + 0.08 * _occluderShift[spanIndex] * image.Width * s),
            (float)(pose.CentreY * _options.Height + 0.05 * image.Height * s));
        var box = new RotatedRect(centre, new Size2f(0.62 * image.Width * s, 0.7 * image.Height * s), (float)-pose.AngleDegrees);
        Cv2.Ellipse(target, box, _occluderColours[spanIndex], -1, LineTypes.AntiAlias);
    }

    private Photo PhotoOf(string file)
    {
        if (_photos.TryGetValue(file, out var photo))
            return photo;
        var image = FaceImageLoader.Load(Path.Combine(_imagesDir, file));
        var mask = new Mat(image.Size(), MatType.CV_32FC1, Scalar.All(0));
        // The ellipse stays > 3 blur sigmas inside the photo, so no edge of the photo's rectangle shows.
        Cv2.Ellipse(mask, new Point(image.Width / 2, image.Height / 2), new Size(image.Width * 0.38, image.Height * 0.42), 0, 0, 360, Scalar.All(1), -1);
        double feather = 0.03 * Math.Min(image.Width, image.Height);
        Cv2.GaussianBlur(mask, mask, new Size(0, 0), feather);
        var silhouette = new Mat();
        Cv2.GaussianBlur(image, silhouette, new Size(0, 0), 0.12 * Math.Min(image.Width, image.Height));
        silhouette.ConvertTo(silhouette, MatType.CV_8UC3, 0.3, 0);
        photo = new Photo(image, mask, silhouette);
        _photos[file] = photo;
        return photo;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var p in _photos.Values) p.Dispose();
        _photos.Clear();
        _background.Dispose();
        _warped.Dispose();
        _warpedMask.Dispose();
        _inverseMask.Dispose();
        _blended.Dispose();
    }
}
