using AffectFuse.Decoding;
using OpenCvSharp;

namespace AffectFuse.Faces;

/// <summary>Follows one face, or every face, through a stream of frames, running the detector only on every N-th frame.</summary>
/// <remarks>
/// Frames are held back until the next detection frame (at most <see cref="FaceTrackerOptions.DetectEvery"/> of them).
/// If both ends show the same tracked face, the frames between get a box and key points interpolated in time; if
/// the ends disagree (the face appeared, left, or another face took over), the detector runs on each frame between,
/// so presence decisions match detecting every frame except for faces seen for fewer than N frames.
/// </remarks>
/// <param name="detector">The face detector.</param>
/// <param name="options">Its settings.</param>
/// <param name="identity">Who a face is, for knowing a person again when every face is followed (null: by place and
/// colour only).</param>
internal sealed class FaceTracker(IFaceDetector detector, FaceTrackerOptions? options = null, FaceIdentity? identity = null)
{
    private readonly FaceTrackerOptions _options = Checked(options ?? new FaceTrackerOptions());

    /// <summary>Frames the detector has run on so far.</summary>
    public int DetectorRuns { get; private set; }

    /// <summary>Tracks the face through <paramref name="frames"/>, yielding each frame (in order) with its face.
    /// Ownership of each frame passes to the yielded <see cref="TrackedFrame"/>: dispose it when done.</summary>
    public IEnumerable<TrackedFrame> Track(IEnumerable<VideoFrame> frames)
    {
        if (_options.Selection == FaceSelection.All)
            throw new InvalidOperationException("every face is followed by TrackPeople");
        var association = new FaceAssociation(_options);
        return Settle<TrackedFace, TrackedFrame>(frames, (pending, lastKey, ready) => Resolve(association, pending, lastKey, ready));
    }

    /// <summary>Tracks every face through <paramref name="frames"/> (<see cref="PersonAssociation"/> decides who is who),
    /// yielding each frame (in order) with the persons in it. Between two detections that show the same persons, each
    /// continuing, every person's box is interpolated; otherwise the detector runs on each frame between.
    /// Ownership of each frame passes to the yielded <see cref="TrackedPeopleFrame"/>: dispose it when done.</summary>
    public IEnumerable<TrackedPeopleFrame> TrackPeople(IEnumerable<VideoFrame> frames)
    {
        var association = new PersonAssociation(_options, identity);
        return Settle<IReadOnlyList<TrackedFace>, TrackedPeopleFrame>(frames,
            (pending, lastKey, ready) => ResolvePeople(association, pending, lastKey, ready));
    }

    // Holds frames until the next detection frame, lets resolve settle them, and yields them in order.
    private IEnumerable<TFrame> Settle<TKey, TFrame>(IEnumerable<VideoFrame> frames, Func<List<VideoFrame>, TKey?, List<TFrame>, TKey> resolve)
        where TKey : class where TFrame : IDisposable
    {
        var pending = new List<VideoFrame>(_options.DetectEvery);
        var ready = new List<TFrame>(_options.DetectEvery);
        TKey? lastKey = null;
        try
        {
            foreach (var frame in frames)
            {
                pending.Add(frame);
                if (lastKey is not null && pending.Count < _options.DetectEvery)
                    continue;
                lastKey = resolve(pending, lastKey, ready);
                pending.Clear();
                foreach (var t in ready)
                    yield return t;
                ready.Clear();
            }
            if (pending.Count > 0)
            {
                resolve(pending, lastKey, ready);
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

    // Detects on the last pending frame and settles every pending frame; returns that key frame's result.
    private TrackedFace Resolve(FaceAssociation association, List<VideoFrame> pending, TrackedFace? lastKey, List<TrackedFrame> ready)
    {
        var key = pending[^1];
        var keyDetections = Detect(key);
        var tentative = association.Clone();
        var keyFace = tentative.Update(keyDetections, key.Index, key.Image.Width);

        bool agree = lastKey is not null && lastKey.Present == (keyFace is not null)
                     && (keyFace is null || tentative.LastWasContinuation);
        if (pending.Count == 1 || agree)
        {
            association.Update(keyDetections, key.Index, key.Image.Width);
            for (int i = 0; i < pending.Count - 1; i++)
                ready.Add(new TrackedFrame(pending[i], Interpolate(lastKey!, keyFace, key, pending[i])));
            var keyResult = Result(key, keyFace, keyFace is not null);
            ready.Add(new TrackedFrame(key, keyResult));
            return keyResult;
        }

        TrackedFace? last = null;
        for (int i = 0; i < pending.Count; i++)
        {
            var f = pending[i];
            var detections = i == pending.Count - 1 ? keyDetections : Detect(f);
            var face = association.Update(detections, f.Index, f.Image.Width);
            last = Result(f, face, face is not null);
            ready.Add(new TrackedFrame(f, last));
        }
        return last!;
    }

    // As Resolve, for every person: the key frame's persons must be the previous key frame's, each continuing, for the
    // frames between to be interpolated.
    private IReadOnlyList<TrackedFace> ResolvePeople(PersonAssociation association, List<VideoFrame> pending, IReadOnlyList<TrackedFace>? lastKey,
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
