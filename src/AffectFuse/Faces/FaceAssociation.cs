namespace AffectFuse.Faces;

/// <summary>Decides, frame by frame on detector output, which detection is the tracked face: the one that best
/// continues the track by position and size; a new face is chosen by the selection policy only once the tracked
/// face has been missing for <see cref="FaceTrackerOptions.LostAfterFrames"/> frames, so a passer-by cannot steal it.</summary>
internal sealed class FaceAssociation(FaceTrackerOptions options)
{
    private FaceDetection? _track;
    private int _lastSeen;

    /// <summary>Whether the last frame continued an existing track (false when it started a new one or found none).</summary>
    public bool LastWasContinuation { get; private set; }

    public FaceAssociation Clone() => new(options) { _track = _track, _lastSeen = _lastSeen };

    /// <summary>Feeds the detections of frame <paramref name="frameIndex"/>; returns the tracked face or null if absent.</summary>
    public FaceDetection? Update(IReadOnlyList<FaceDetection> detections, int frameIndex, int frameWidth)
    {
        LastWasContinuation = false;
        if (_track is not null)
        {
            var match = BestMatch(_track, detections);
            if (match is not null)
            {
                _track = match;
                _lastSeen = frameIndex;
                LastWasContinuation = true;
                return match;
            }
            if (frameIndex - _lastSeen <= options.LostAfterFrames)
                return null;
            _track = null;
        }
        var chosen = Select(detections, options.Selection, frameWidth);
        if (chosen is not null)
        {
            _track = chosen;
            _lastSeen = frameIndex;
        }
        return chosen;
    }

    private FaceDetection? BestMatch(FaceDetection track, IReadOnlyList<FaceDetection> detections)
    {
        FaceDetection? best = null;
        float bestCost = float.MaxValue;
        float size = Math.Max(track.Box.Width, 1);
        float maxLogRatio = MathF.Log(Math.Max(options.MaxSizeRatio, 1));
        foreach (var d in detections)
        {
            var (tc, dc) = (track.Centre, d.Centre);
            float shift = MathF.Sqrt((tc.X - dc.X) * (tc.X - dc.X) + (tc.Y - dc.Y) * (tc.Y - dc.Y)) / size;
            float logRatio = MathF.Abs(MathF.Log(Math.Max(d.Box.Width, 1e-3f) / size));
            if (shift > options.MaxCentreShift || logRatio > maxLogRatio)
                continue;
            float cost = shift + logRatio - FaceDetection.IoU(track.Box, d.Box);
            if (cost < bestCost)
                (best, bestCost) = (d, cost);
        }
        return best;
    }

    /// <summary>The face a new track starts on. Left/right: with two or more faces the outermost on that side; a lone
    /// face only if its centre lies in that half of the frame (it may be the other person).</summary>
    internal static FaceDetection? Select(IReadOnlyList<FaceDetection> detections, FaceSelection selection, int frameWidth)
    {
        if (detections.Count == 0)
            return null;
        switch (selection)
        {
            case FaceSelection.Largest:
                return detections.MaxBy(d => d.Area);
            case FaceSelection.Left:
                var left = detections.MinBy(d => d.Centre.X)!;
                return detections.Count > 1 || left.Centre.X < frameWidth / 2f ? left : null;
            case FaceSelection.Right:
                var right = detections.MaxBy(d => d.Centre.X)!;
                return detections.Count > 1 || right.Centre.X >= frameWidth / 2f ? right : null;
            default:
                throw new ArgumentOutOfRangeException(nameof(selection), selection, null);
        }
    }
}
