using AffectFuse.Faces;
using OpenCvSharp;

namespace AffectFuse.Features;

/// <summary>Runs the cheap front BlazeFace model while the last face found was large enough for it, and the back model
/// otherwise and whenever the front model's answer is empty or only small faces: recall is the back model's (a face the
/// front model misses is looked for again), cost is the front model's on close-up video.</summary>
/// <remarks>With <paramref name="everyFace"/> (every face followed), the front model is trusted only while every face the
/// back model last found was large enough, and only when it finds at least as many; the back model looks again every
/// <see cref="EveryFaceRescan"/>-th call, so a small face that walks in is found within a second at the default
/// detection rate.</remarks>
internal sealed class AdaptiveFaceDetector(IFaceDetector back, IFaceDetector front, float minFrontFaceFraction = AdaptiveFaceDetector.DefaultMinFrontFaceFraction,
    bool everyFace = false) : IFaceDetector
{
    /// <summary>With every face followed, the back model runs at least on every this-many-th call (25 frames when the
    /// detector runs on every 5th).</summary>
    public const int EveryFaceRescan = 5;

    private int _sinceBack, _backFaces;
    /// <summary>Smallest face, as a fraction of the frame's longer side, trusted to the front model: 0.12 is about
    /// 15 pixels of its 128-pixel input, just above its smallest anchors (16 px at stride 8).</summary>
    public const float DefaultMinFrontFaceFraction = 0.12f;

    private bool _useFront;

    /// <summary>Front-model runs so far.</summary>
    public int FrontRuns { get; private set; }

    /// <summary>Back-model runs so far.</summary>
    public int BackRuns { get; private set; }

    /// <summary>Faces in <paramref name="bgr"/>, best first.</summary>
    public IReadOnlyList<FaceDetection> Detect(Mat bgr)
    {
        float minWidth = minFrontFaceFraction * Math.Max(bgr.Width, bgr.Height);
        if (_useFront && !(everyFace && _sinceBack >= EveryFaceRescan - 1))
        {
            FrontRuns++;
            var found = front.Detect(bgr);
            bool trusted = everyFace
                ? found.Count >= _backFaces && found.All(f => f.Box.Width >= minWidth)
                : found.Count > 0 && found.Max(f => f.Box.Width) >= minWidth;
            if (trusted)
            {
                _sinceBack++;
                return found;
            }
        }
        BackRuns++;
        var faces = back.Detect(bgr);
        (_sinceBack, _backFaces) = (0, faces.Count);
        _useFront = everyFace
            ? faces.Count > 0 && faces.All(f => f.Box.Width >= minWidth)
            : faces.Count > 0 && faces.Max(f => f.Box.Width) >= minWidth;
        return faces;
    }
}
