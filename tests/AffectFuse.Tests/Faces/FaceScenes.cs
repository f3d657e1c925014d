using AffectFuse.Decoding;
using AffectFuse.Faces;
using OpenCvSharp;
using Xunit;

namespace AffectFuse.Tests.Faces;

/// <summary>Builds frames from a real face photograph (scikit-image's astronaut, Debian python3-skimage) pasted on a
/// textured background at known positions.</summary>
public static class FaceScenes
{
    public const string AstronautPath = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png";

    // The face in astronaut.png spans about (173, 75)–(276, 178); this square crop is centred on it.
    private static readonly Rect HeadCrop = new(132, 34, 184, 184);

    /// <summary>Face width as a fraction of a head image's side.</summary>
    public const double FaceFraction = 103.0 / 184;

    private static readonly Lazy<Mat> Astronaut = new(() =>
    {
        Assert.True(File.Exists(AstronautPath), $"{AstronautPath} missing; the setup installs it (apt-get install python3-skimage)");
        return Cv2.ImRead(AstronautPath, ImreadModes.Color);
    });

    public static Mat Photo => Astronaut.Value;

    /// <summary>The head, <paramref name="size"/> pixels square, the face centred in it.</summary>
    public static Mat Head(int size)
    {
        using var crop = new Mat(Astronaut.Value, HeadCrop);
        return crop.Resize(new Size(size, size), 0, 0, InterpolationFlags.Area);
    }

    /// <summary>A deterministic textured background (gradients and stripes, no faces).</summary>
    public static Mat Background(int width, int height)
    {
        var m = new Mat(height, width, MatType.CV_8UC3);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                m.Set(y, x, new Vec3b((byte)(60 + x * 120 / width), (byte)(90 + 40 * ((x / 23 + y / 31) % 2)), (byte)(70 + y * 100 / height)));
        return m;
    }

    /// <summary>Pastes <paramref name="head"/> centred at (<paramref name="cx"/>, <paramref name="cy"/>), clipped to the frame.</summary>
    public static void Paste(Mat frame, Mat head, int cx, int cy)
    {
        var target = new Rect(cx - head.Width / 2, cy - head.Height / 2, head.Width, head.Height);
        var clipped = target & new Rect(0, 0, frame.Width, frame.Height);
        if (clipped.Width <= 0 || clipped.Height <= 0)
            return;
        using var src = new Mat(head, new Rect(clipped.X - target.X, clipped.Y - target.Y, clipped.Width, clipped.Height));
        using var dst = new Mat(frame, clipped);
        src.CopyTo(dst);
    }

    /// <summary>Frames for the tracker straight from images (index, 25 fps times).</summary>
    internal static IEnumerable<VideoFrame> AsFrames(IEnumerable<Mat> images) =>
        images.Select((m, i) => new VideoFrame(i, i / 25.0, m));

    // A detector reuses its buffers, so each test thread (xunit runs classes in parallel) gets its own.
    private static readonly ThreadLocal<BlazeFaceDetector> PerThreadDetector = new(() => new BlazeFaceDetector());

    /// <summary>A back-model detector for the calling thread (models from $AFFECTFUSE_MODELS or the repository's models folder).</summary>
    internal static BlazeFaceDetector Detector => PerThreadDetector.Value!;

    /// <summary>The one followed face of a frame tracked with largest, left or right selected, or an absent face.</summary>
    internal static TrackedFace Followed(TrackedPeopleFrame tracked) =>
        tracked.Persons.SingleOrDefault() ?? new TrackedFace { FrameIndex = tracked.Frame.Index, Timestamp = tracked.Frame.Timestamp };

    public static Point2f Centre(Rect2f box) => new(box.X + box.Width / 2, box.Y + box.Height / 2);
}
