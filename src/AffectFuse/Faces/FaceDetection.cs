using OpenCvSharp;

namespace AffectFuse.Faces;

/// <summary>BlazeFace's six key points, in the model's output order (the subject's right eye appears on the image's left).</summary>
internal enum FaceKeypoint
{
    /// <summary>Subject's right eye.</summary>
    RightEye = 0,
    /// <summary>Subject's left eye.</summary>
    LeftEye = 1,
    /// <summary>Nose tip.</summary>
    Nose = 2,
    /// <summary>Mouth centre.</summary>
    Mouth = 3,
    /// <summary>Subject's right ear tragion.</summary>
    RightEar = 4,
    /// <summary>Subject's left ear tragion.</summary>
    LeftEar = 5,
}

/// <summary>One detected face in frame pixels: box, confidence and the six BlazeFace key points.</summary>
internal sealed record FaceDetection
{
    /// <summary>Number of key points.</summary>
    public const int KeypointCount = 6;

    /// <summary>Creates a detection; <paramref name="keypoints"/> must hold <see cref="KeypointCount"/> points.</summary>
    public FaceDetection(Rect2f box, float score, Point2f[] keypoints)
    {
        if (keypoints.Length != KeypointCount)
            throw new ArgumentException($"expected {KeypointCount} key points, got {keypoints.Length}", nameof(keypoints));
        Box = box;
        Score = score;
        Keypoints = keypoints;
    }

    /// <summary>Face box in frame pixels (x, y = top-left).</summary>
    public Rect2f Box { get; init; }

    /// <summary>Detector confidence in [0, 1].</summary>
    public float Score { get; init; }

    /// <summary>Key points in frame pixels, indexed by <see cref="FaceKeypoint"/>.</summary>
    public Point2f[] Keypoints { get; init; }

    /// <summary>A key point by name.</summary>
    public Point2f this[FaceKeypoint point] => Keypoints[(int)point];

    /// <summary>Box centre.</summary>
    public Point2f Centre => new(Box.X + Box.Width / 2, Box.Y + Box.Height / 2);

    /// <summary>Box area in square pixels.</summary>
    public float Area => Math.Max(0, Box.Width) * Math.Max(0, Box.Height);

    /// <summary>How far this box's width is from <paramref name="width"/>, either way, as |log ratio| (the size gate
    /// of the trackers).</summary>
    public float SizeChangeFrom(float width) => MathF.Abs(MathF.Log(Math.Max(Box.Width, 1e-3f) / width));

    /// <summary>Intersection over union of two boxes (0 when either is empty).</summary>
    public static float IoU(Rect2f a, Rect2f b)
    {
        float x0 = Math.Max(a.X, b.X), y0 = Math.Max(a.Y, b.Y);
        float x1 = Math.Min(a.X + a.Width, b.X + b.Width), y1 = Math.Min(a.Y + a.Height, b.Y + b.Height);
        float inter = Math.Max(0, x1 - x0) * Math.Max(0, y1 - y0);
        float union = a.Width * a.Height + b.Width * b.Height - inter;
        return union > 0 ? inter / union : 0;
    }
}
