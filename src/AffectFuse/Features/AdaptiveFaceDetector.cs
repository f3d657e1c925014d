using AffectFuse.Faces;
using OpenCvSharp;

namespace AffectFuse.Features;

/// <summary>Runs the cheap front BlazeFace model while the last face found was large enough for it, and the back model
/// otherwise and whenever the front model's answer is empty or only small faces: recall is the back model's (a face the
/// front model misses is looked for again), cost is the front model's on close-up video.</summary>
internal sealed class AdaptiveFaceDetector(IFaceDetector back, IFaceDetector front, float minFrontFaceFraction = AdaptiveFaceDetector.DefaultMinFrontFaceFraction) : IFaceDetector
{
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
        if (_useFront)
        {
            FrontRuns++;
            var found = front.Detect(bgr);
            if (found.Count > 0 && found.Max(f => f.Box.Width) >= minWidth)
                return found;
        }
        BackRuns++;
        var faces = back.Detect(bgr);
        _useFront = faces.Count > 0 && faces.Max(f => f.Box.Width) >= minWidth;
        return faces;
    }
}
