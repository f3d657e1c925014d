using OpenCvSharp;

namespace AffectFuse.Faces;

/// <summary>How much one person's mouth moves from frame to frame: the mean absolute change of a small gray patch around
/// BlazeFace's mouth point, scaled to the face (so a near and a far face compare), 0–255 per pixel. Speech moves the
/// mouth in step with the sound's loudness; <see cref="VoiceAttribution"/> compares the two.</summary>
/// <remarks>Pixel motion rather than lip landmarks: it needs no landmark net on each face (the default visual set has
/// none) and costs a few microseconds a face.</remarks>
internal sealed class MouthMotion : IDisposable
{
    private const int PatchWidth = 24, PatchHeight = 12, Margin = 4;
    private readonly Mat _previous = new(), _current = new(), _match = new();
    private int _previousFrame = int.MinValue;

    /// <summary>The motion since this person's previous frame, or NaN when there is none to compare (the first frame of
    /// a run, or a frame after a gap).</summary>
    /// <remarks>The patch is compared with the previous frame's at the best of small shifts (±<see cref="Margin"/> patch
    /// pixels, OpenCV's template matching): a box that jitters by a few pixels from one detection to the next, or a head
    /// that moves, is not mouth motion; a mouth that opens cannot be shifted away.</remarks>
    public float Next(Mat frame, FaceDetection face, int frameIndex)
    {
        var box = face.Box;
        var mouth = face[FaceKeypoint.Mouth];
        // The patch with a margin around it, scaled so that the patch itself is PatchWidth × PatchHeight.
        float w = box.Width * 0.6f, h = box.Height * 0.3f, mx = w * Margin / PatchWidth, my = h * Margin / PatchHeight;
        var region = new Rect((int)(mouth.X - w / 2 - mx), (int)(mouth.Y - h / 2 - my), (int)(w + 2 * mx), (int)(h + 2 * my));
        if (region.Width < 8 || region.Height < 4 || (region & new Rect(0, 0, frame.Width, frame.Height)) != region)
        {
            _previousFrame = int.MinValue;
            return float.NaN;
        }
        using (var patch = new Mat(frame, region))
        using (var gray = patch.CvtColor(ColorConversionCodes.BGR2GRAY))
            Cv2.Resize(gray, _current, new Size(PatchWidth + 2 * Margin, PatchHeight + 2 * Margin), 0, 0, InterpolationFlags.Area);
        float motion = float.NaN;
        if (frameIndex - _previousFrame == 1)
        {
            using var core = new Mat(_current, new Rect(Margin, Margin, PatchWidth, PatchHeight));
            Cv2.MatchTemplate(_previous, core, _match, TemplateMatchModes.SqDiff);
            Cv2.MinMaxLoc(_match, out double best, out _);
            motion = (float)Math.Sqrt(best / (PatchWidth * PatchHeight));
        }
        _current.CopyTo(_previous);
        _previousFrame = frameIndex;
        return motion;
    }

    /// <summary>Releases the patches.</summary>
    public void Dispose()
    {
        _previous.Dispose();
        _current.Dispose();
        _match.Dispose();
    }
}
