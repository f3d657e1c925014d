using OpenCvSharp;

namespace AffectFuse.Faces;

/// <summary>How much one person's mouth moves from frame to frame: the mean absolute change of a small gray patch around
/// BlazeFace's mouth point, scaled to the face (so a near and a far face compare), 0–255 per pixel. Speech moves the
/// mouth in step with the sound's loudness; <see cref="VoiceAttribution"/> compares the two.</summary>
/// <remarks>Pixel motion rather than lip landmarks: it needs no landmark net on each face (the default visual set has
/// none) and costs a few microseconds a face.</remarks>
internal sealed class MouthMotion : IDisposable
{
    private const int PatchWidth = 24, PatchHeight = 12;
    private readonly Mat _previous = new(), _current = new();
    private int _previousFrame = int.MinValue;

    /// <summary>The motion since this person's previous frame, or NaN when there is none to compare (the first frame of
    /// a run, or a frame after a gap).</summary>
    public float Next(Mat frame, FaceDetection face, int frameIndex)
    {
        var box = face.Box;
        var mouth = face[FaceKeypoint.Mouth];
        var region = new Rect((int)(mouth.X - box.Width * 0.3f), (int)(mouth.Y - box.Height * 0.15f),
            (int)(box.Width * 0.6f), (int)(box.Height * 0.3f)) & new Rect(0, 0, frame.Width, frame.Height);
        if (region.Width < 4 || region.Height < 2)
        {
            _previousFrame = int.MinValue;
            return float.NaN;
        }
        using (var patch = new Mat(frame, region))
        using (var gray = patch.CvtColor(ColorConversionCodes.BGR2GRAY))
            Cv2.Resize(gray, _current, new Size(PatchWidth, PatchHeight), 0, 0, InterpolationFlags.Area);
        float motion = float.NaN;
        if (frameIndex - _previousFrame == 1)
        {
            using var difference = new Mat();
            Cv2.Absdiff(_current, _previous, difference);
            motion = (float)Cv2.Mean(difference).Val0;
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
    }
}
