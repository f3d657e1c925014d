using AffectFuse.Faces;
using AffectFuse.IO;
using OpenCvSharp;

namespace AffectFuse.Features;

/// <summary>A face detector whose CPU time goes to a profile's <see cref="ProfiledStage.Detect"/>.</summary>
internal sealed class ProfiledFaceDetector(IFaceDetector detector, StageProfile profile) : IFaceDetector
{
    /// <inheritdoc />
    public IReadOnlyList<FaceDetection> Detect(Mat bgr)
    {
        long start = StageProfile.Start();
        var faces = detector.Detect(bgr);
        profile.Stop(ProfiledStage.Detect, start);
        return faces;
    }
}
