using AffectFuse.Decoding;
using OpenCvSharp;

namespace AffectFuse.Faces;

/// <summary>Follows one face, or every face, through a stream of frames, running the detector only on every N-th frame.</summary>
/// <remarks>
/// Frames are held back until the next detection frame (at most <see cref="FaceTrackerOptions.DetectEvery"/> of them).
/// If both ends show the same persons, each continuing, the frames between get boxes and key points interpolated in time;
/// if the ends disagree (a face appeared, left, or was taken for someone else), the detector runs on each frame between,
/// so presence decisions match detecting every frame except for faces seen for fewer than N frames. One face selected
/// (largest, left, right) is a filter over the same person tracks (<see cref="PersonFilter"/>).
/// </remarks>
/// <param name="detector">The face detector.</param>
/// <param name="options">Its settings.</param>
/// <param name="identity">Who a face is, for knowing a person again who left and came back (null: by place and colour
/// only, as for one face selected).</param>
internal sealed class FaceTracker(IFaceDetector detector, FaceTrackerOptions? options = null, FaceIdentity? identity = null)
{
    private readonly FaceTrackerOptions _options = Checked(options ?? new FaceTrackerOptions());

    /// <summary>Frames the detector has run on so far.</summary>
    public int DetectorRuns { get; private set; }

    /// <summary>Tracks every face through <paramref name="frames"/> (<see cref="PersonAssociation"/> decides who is who),
    /// yielding each frame (in order) with the persons in it; with one face selected (largest, left, right), only the
    /// person <see cref="PersonFilter"/> follows, as person 1. Between two detections that show the same persons, each
    /// continuing, every person's box is interpolated; otherwise the detector runs on each frame between.
    /// Ownership of each frame passes to the yielded <see cref="TrackedPeopleFrame"/>: dispose it when done.</summary>
    public IEnumerable<TrackedPeopleFrame> Track(IEnumerable<VideoFrame> frames)
    {
        var people = Settle(frames, new PersonAssociation(_options, identity));
        if (_options.Selection == FaceSelection.All)
            return people;
        var filter = new PersonFilter(_options);
        return people.Select(filter.Apply);
    }

    // Holds frames until the next detection frame, lets resolve settle them, and yields them in order.
    private IEnumerable<TrackedPeopleFrame> Settle(IEnumerable<VideoFrame> frames, PersonAssociation association)
    {
        var pending = new List<VideoFrame>(_options.DetectEvery);
        var ready = new List<TrackedPeopleFrame>(_options.DetectEvery);
        IReadOnlyList<TrackedFace>? lastKey = null;
        try
        {
            foreach (var frame in frames)
            {
                pending.Add(frame);
                if (lastKey is not null && pending.Count < _options.DetectEvery)
                    continue;
                lastKey = Resolve(association, pending, lastKey, ready);
                pending.Clear();
                foreach (var t in ready)
                    yield return t;
                ready.Clear();
            }
            if (pending.Count > 0)
            {
                Resolve(association, pending, lastKey, ready);
                pending.Clear();
                foreach (var t in ready)
                    yield return t;
                ready.Clear();
            }
        }
        finally
        {
            // Frames not handed on (early exit or an exception) are released here.
            foreach (var f in pending)
                f.Dispose();
            foreach (var t in ready)
                t.Dispose();
        }
    }

    // Detects on the last pending frame and settles every pending frame; returns that key frame's persons. The key
    // frame's persons must be the previous key frame's, each continuing, for the frames between to be interpolated.
    private IReadOnlyList<TrackedFace> Resolve(PersonAssociation association, List<VideoFrame> pending, IReadOnlyList<TrackedFace>? lastKey,
        List<TrackedPeopleFrame> ready)
    {
        var key = pending[^1];
        var keyDetections = Detect(key);
        var tentative = association.Clone();
        var keyPersons = tentative.Update(keyDetections, key.Index, key.Image);
        bool agree = lastKey is not null && lastKey.Count == keyPersons.Count
                     && keyPersons.All(p => p.Continued && lastKey.Any(k => k.Person == p.Person));
        if (pending.Count == 1 || agree)
        {
            association.Adopt(tentative);
            for (int i = 0; i < pending.Count - 1; i++)
            {
                var between = keyPersons.Select(p => Interpolate(lastKey!.First(k => k.Person == p.Person), p.Face, key, pending[i]) with { Person = p.Person });
                ready.Add(new TrackedPeopleFrame(pending[i], [.. between]));
            }
            var keyResult = People(key, keyPersons);
            ready.Add(new TrackedPeopleFrame(key, keyResult));
            return keyResult;
        }

        IReadOnlyList<TrackedFace> last = [];
        for (int i = 0; i < pending.Count; i++)
        {
            var f = pending[i];
            var detections = i == pending.Count - 1 ? keyDetections : Detect(f);
            last = People(f, association.Update(detections, f.Index, f.Image));
            ready.Add(new TrackedPeopleFrame(f, last));
        }
        return last;
    }

    private static TrackedFace[] People(VideoFrame frame, IReadOnlyList<PersonFace> persons) =>
        [.. persons.Select(p => Result(frame, p.Face, true) with { Person = p.Person })];

    private IReadOnlyList<FaceDetection> Detect(VideoFrame frame)
    {
        DetectorRuns++;
        return detector.Detect(frame.Image);
    }

    private static TrackedFace Result(VideoFrame frame, FaceDetection? face, bool detected) =>
        new() { FrameIndex = frame.Index, Timestamp = frame.Timestamp, Face = face, Detected = detected };

    // Linear in time between the previous key frame's face and this key frame's face (both present, same track).
    private static TrackedFace Interpolate(TrackedFace from, FaceDetection? to, VideoFrame key, VideoFrame frame)
    {
        if (from.Face is null || to is null)
            return Result(frame, null, false);
        double span = key.Timestamp - from.Timestamp;
        float t = span > 0
            ? (float)((frame.Timestamp - from.Timestamp) / span)
            : (float)(frame.Index - from.FrameIndex) / Math.Max(1, key.Index - from.FrameIndex);
        t = Math.Clamp(t, 0, 1);
        var a = from.Face;
        var box = new Rect2f(Lerp(a.Box.X, to.Box.X, t), Lerp(a.Box.Y, to.Box.Y, t),
            Lerp(a.Box.Width, to.Box.Width, t), Lerp(a.Box.Height, to.Box.Height, t));
        var points = new Point2f[FaceDetection.KeypointCount];
        for (int k = 0; k < points.Length; k++)
            points[k] = new Point2f(Lerp(a.Keypoints[k].X, to.Keypoints[k].X, t), Lerp(a.Keypoints[k].Y, to.Keypoints[k].Y, t));
        return Result(frame, new FaceDetection(box, Lerp(a.Score, to.Score, t), points), false);
    }

    private static float Lerp(float a, float b, float t) => a + (b - a) * t;

    private static FaceTrackerOptions Checked(FaceTrackerOptions options)
    {
        options.Validate();
        return options;
    }
}
