using OpenCvSharp;

namespace AffectFuse.Faces;

/// <summary>One person's face in one frame, as <see cref="PersonAssociation"/> decided.</summary>
/// <param name="Person">Stable id, 1, 2, … in order of first appearance.</param>
/// <param name="Face">The detection.</param>
/// <param name="Continued">True when it continued the person's track from a recent frame (false: a new person, or one
/// who came back after being lost).</param>
internal readonly record struct PersonFace(int Person, FaceDetection Face, bool Continued);

/// <summary>Decides, frame by frame on detector output, which detection is which person, for every face in the frame.</summary>
/// <remarks>
/// How it decides:
/// <list type="number">
/// <item>Each person's next position is predicted from their smoothed velocity (a face crossing another keeps going
/// while hidden behind it).</item>
/// <item>A person seen within <see cref="FaceTrackerOptions.HiddenFrames"/> frames may take a detection whose centre
/// is within <see cref="FaceTrackerOptions.MaxCentreShift"/> of their (smoothed) face widths of the prediction and whose
/// size is within <see cref="FaceTrackerOptions.MaxSizeRatio"/>, or a smaller one lying inside their box (a face going
/// behind another). After a few frames unseen the gate grows by 15 % a frame, but only for a detection whose colours
/// agree (<see cref="FaceTrackerOptions.MaxAppearanceDistance"/>). The cost is the shift, the size change, minus the
/// overlap, plus the colour distance (<see cref="FaceAppearance"/>). Velocity is learnt from whole views only: a box that
/// shrinks or grows fast slides with the occluder's edge.</item>
/// <item>A person lost for longer (up to <see cref="FaceTrackerOptions.ForgetAfterFrames"/>) is known again by who they
/// are (<see cref="FaceIdentity"/>, face-api's descriptor, taken when they were first seen and every 5 s while seen
/// whole): a detection whose descriptor lies within <see cref="FaceTrackerOptions.MaxIdentityDistance"/> of theirs is
/// them wherever it is in the frame and at whatever size, one beyond it is not, whatever its place and colours.
/// Without descriptors (no identity net, or a face under <see cref="FaceIdentity.MinFaceWidth"/> pixels) a detection
/// within <see cref="FaceTrackerOptions.ReturnDistance"/> box widths of where they were last seen, of a similar size,
/// whose colour distance is at most <see cref="FaceTrackerOptions.MaxAppearanceDistance"/>, is taken for them: a face
/// that leaves and comes back keeps its id, a stranger at the same place does not.</item>
/// <item>Pairs are assigned cheapest first, persons seen lately before lost ones (whose descriptors are taken only for
/// the detections left over); a detection no one takes is a new person.</item>
/// </list>
/// </remarks>
internal sealed class PersonAssociation(FaceTrackerOptions options, FaceIdentity? identity = null)
{
    private const float VelocitySmoothing = 0.5f, WidthSmoothing = 0.3f, AppearanceUpdate = 0.1f, LostPenalty = 10f;
    private const float GateGrowth = 0.15f, WholeViewLogRatio = 0.15f;

    /// <summary>Frames between two descriptors of a person in view (5 s at 25 fps): a turned head or new light is
    /// caught up with, at about 4 ms a second per person (one descriptor is 15–20 ms on one core).</summary>
    private const int IdentityRefreshFrames = 125;

    // The frame of a person's descriptor while none could be taken: the next whole view tries again.
    private const int NeverDescribed = -1_000_000;

    private List<Person> _persons = [];
    private int _nextId = 1;

    /// <summary>A copy whose updates do not touch this one (the tracker tries a key frame before committing to it).</summary>
    public PersonAssociation Clone() => new(options, identity) { _persons = [.. _persons], _nextId = _nextId };

    /// <summary>Takes over <paramref name="tried"/>'s state (a clone that was updated and is now the one to keep).</summary>
    public void Adopt(PersonAssociation tried) => (_persons, _nextId) = ([.. tried._persons], tried._nextId);

    /// <summary>Feeds the detections of frame <paramref name="frameIndex"/> (<paramref name="image"/> gives their
    /// colours); returns each person's face in this frame, ordered by id.</summary>
    public IReadOnlyList<PersonFace> Update(IReadOnlyList<FaceDetection> detections, int frameIndex, Mat image)
    {
        _persons.RemoveAll(p => frameIndex - p.LastSeen > options.ForgetAfterFrames);
        var kept = detections.Count <= options.MaxPersons ? detections : [.. detections.OrderByDescending(d => d.Area).Take(options.MaxPersons)];
        var frame = new FrameFaces(kept, [.. kept.Select(d => FaceAppearance.Of(image, d.Box))], image, frameIndex, identity);
        var result = new List<PersonFace>(kept.Count);
        // Persons seen lately by where they are going, then those lost by who they are, from what is left.
        Assign(Recent(frame, frameIndex), frame, frameIndex, result);
        Assign(Lost(frame, frameIndex), frame, frameIndex, result);
        for (int d = 0; d < kept.Count; d++)
        {
            if (frame.Taken[d])
                continue;
            var descriptor = frame.Descriptor(d);
            var person = new Person(_nextId++, kept[d], frameIndex, default, frame.Looks[d], kept[d].Box.Width, descriptor,
                descriptor is null ? NeverDescribed : frameIndex);
            _persons.Add(person);
            result.Add(new PersonFace(person.Id, kept[d], false));
        }
        result.Sort((a, b) => a.Person.CompareTo(b.Person));
        return result;
    }

    private void Assign(IEnumerable<(int Person, int Detection, float Cost)> candidates, FrameFaces frame, int frameIndex, List<PersonFace> result)
    {
        foreach (var (p, d, _) in candidates.OrderBy(c => c.Cost))
        {
            var person = _persons[p];
            if (frame.Taken[d] || person.LastSeen == frameIndex)
                continue;
            frame.Taken[d] = true;
            var face = frame.Detections[d];
            bool recent = frameIndex - person.LastSeen <= options.HiddenFrames;
            bool describe = identity is not null && (!recent || (frameIndex - person.IdentityFrame >= IdentityRefreshFrames && person.IsWhole(face)));
            _persons[p] = person.Seen(face, frame.Looks[d], describe ? frame.Descriptor(d) : null, frameIndex, recent);
            result.Add(new PersonFace(person.Id, face, recent));
        }
    }

    // A person lost a while is theirs only if who they are agrees; without descriptors, where and how they look.
    private IEnumerable<(int Person, int Detection, float Cost)> Lost(FrameFaces frame, int frameIndex)
    {
        float maxLogRatio = MathF.Log(Math.Max(options.MaxSizeRatio, 1));
        for (int p = 0; p < _persons.Count; p++)
        {
            var person = _persons[p];
            int gap = frameIndex - person.LastSeen;
            if (gap <= options.HiddenFrames)
                continue;
            var heading = person.Predicted(gap);
            float size = Math.Max(person.Width, 1);
            for (int d = 0; d < frame.Detections.Count; d++)
            {
                if (frame.Taken[d])
                    continue;
                var det = frame.Detections[d];
                if (person.Identity is { } known && frame.Descriptor(d) is { } seen)
                {
                    float distance = FaceIdentity.Distance(known, seen);
                    if (distance <= options.MaxIdentityDistance)
                        yield return (p, d, LostPenalty + distance);
                    continue;
                }
                // A face that left comes back near where it was last seen or where it was heading.
                float returned = Math.Min(Distance(heading, det.Centre), Distance(person.Face.Centre, det.Centre)) / size;
                float logRatio = det.SizeChangeFrom(size);
                double look = person.Look is { } a && frame.Looks[d] is { } b ? a.DistanceTo(b) : 0.5;
                if (logRatio <= maxLogRatio && returned <= options.ReturnDistance && look <= options.MaxAppearanceDistance)
                    yield return (p, d, LostPenalty + (float)look + returned * 0.1f);
            }
        }
    }

    private IEnumerable<(int Person, int Detection, float Cost)> Recent(FrameFaces frame, int frameIndex)
    {
        var (detections, looks) = (frame.Detections, frame.Looks);
        float maxLogRatio = MathF.Log(Math.Max(options.MaxSizeRatio, 1));
        for (int p = 0; p < _persons.Count; p++)
        {
            var person = _persons[p];
            int gap = frameIndex - person.LastSeen;
            if (gap > options.HiddenFrames)
                continue;
            var from = person.Predicted(gap);
            float size = Math.Max(person.Width, 1);
            // The longer a person has been hidden, the further from the prediction they may be found (a face half behind
            // another shrinks and stalls before it disappears), but then only if they still look the same.
            float gate = options.MaxCentreShift * (1 + GateGrowth * (gap - 1));
            for (int d = 0; d < detections.Count; d++)
            {
                var det = detections[d];
                float shift = Distance(from, det.Centre) / size;
                float logRatio = det.SizeChangeFrom(size);
                double look = person.Look is { } a && looks[d] is { } b ? a.DistanceTo(b) : 0.5;
                // A face going behind another shrinks to a sliver inside its own box: still the same person.
                if (logRatio > maxLogRatio && !Inside(det.Box, Shifted(person.Face.Box, from)))
                    continue;
                if (shift <= options.MaxCentreShift || (shift <= gate && look <= options.MaxAppearanceDistance))
                    yield return (p, d, shift + logRatio - FaceDetection.IoU(Shifted(person.Face.Box, from), det.Box) + (float)look);
            }
        }
    }

    private static bool Inside(Rect2f inner, Rect2f outer)
    {
        float x0 = Math.Max(inner.X, outer.X), y0 = Math.Max(inner.Y, outer.Y);
        float x1 = Math.Min(inner.X + inner.Width, outer.X + outer.Width), y1 = Math.Min(inner.Y + inner.Height, outer.Y + outer.Height);
        float overlap = Math.Max(0, x1 - x0) * Math.Max(0, y1 - y0);
        return overlap >= 0.6f * inner.Width * inner.Height;
    }

    private static Rect2f Shifted(Rect2f box, Point2f centre) =>
        new(centre.X - box.Width / 2, centre.Y - box.Height / 2, box.Width, box.Height);

    private static float Distance(Point2f a, Point2f b) => MathF.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    /// <summary>One frame's detections as the assignment sees them: their colours, which are taken, and their
    /// descriptors, each taken at most once and only when asked for.</summary>
    private sealed class FrameFaces(IReadOnlyList<FaceDetection> detections, FaceAppearance?[] looks, Mat image, int frameIndex, FaceIdentity? identity)
    {
        private readonly float[]?[] _descriptors = new float[]?[detections.Count];
        private readonly bool[] _described = new bool[detections.Count];

        public IReadOnlyList<FaceDetection> Detections => detections;
        public FaceAppearance?[] Looks => looks;
        public bool[] Taken { get; } = new bool[detections.Count];

        public float[]? Descriptor(int d)
        {
            if (!_described[d] && identity is not null)
                (_descriptors[d], _described[d]) = (identity.Of(image, frameIndex, detections[d]), true);
            return _descriptors[d];
        }
    }

    // Immutable, so a clone shares persons safely; every update replaces the record. Identity is the last descriptor
    // taken of them (IdentityFrame: when), null while none could be.
    private sealed record Person(int Id, FaceDetection Face, int LastSeen, Point2f Velocity, FaceAppearance? Look, float Width, float[]? Identity,
        int IdentityFrame)
    {
        // A box that shrinks or grows fast is a face going behind another (or coming out), not a whole view of it.
        public bool IsWhole(FaceDetection face) => MathF.Abs(MathF.Log(Math.Max(face.Box.Width, 1e-3f) / Math.Max(Width, 1e-3f))) < WholeViewLogRatio;

        // Velocity is trusted for a few frames only: a hidden face is not assumed to fly on for seconds.
        public Point2f Predicted(int gap)
        {
            float steps = Math.Min(gap, 8);
            return new Point2f(Face.Centre.X + Velocity.X * steps, Face.Centre.Y + Velocity.Y * steps);
        }

        public Person Seen(FaceDetection face, FaceAppearance? look, float[]? descriptor, int frame, bool recent)
        {
            var velocity = recent ? Velocity : default;
            // A face going behind another slides its centre with the edge, not with the face, so the face's own motion
            // is the last one measured on whole views.
            if (recent && IsWhole(face))
            {
                float gap = Math.Max(frame - LastSeen, 1);
                var step = new Point2f((face.Centre.X - Face.Centre.X) / gap, (face.Centre.Y - Face.Centre.Y) / gap);
                velocity = new Point2f(Velocity.X + VelocitySmoothing * (step.X - Velocity.X), Velocity.Y + VelocitySmoothing * (step.Y - Velocity.Y));
            }
            var blended = (Look, look) switch
            {
                ({ } old, { } now) => old.Blend(now, AppearanceUpdate),
                (null, { } now) => now,
                _ => Look,
            };
            // Smoothed, so one partly hidden frame does not shrink the gates.
            float width = recent ? Width + WidthSmoothing * (face.Box.Width - Width) : face.Box.Width;
            return descriptor is null
                ? new Person(Id, face, frame, velocity, blended, width, Identity, IdentityFrame)
                : new Person(Id, face, frame, velocity, blended, width, descriptor, frame);
        }
    }
}
