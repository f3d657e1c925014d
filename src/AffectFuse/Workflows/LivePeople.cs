using AffectFuse.Faces;
using AffectFuse.Features;
using AffectFuse.Inference;

namespace AffectFuse.Workflows;

/// <summary>Every person of a live stream (<c>--face all</c>): per person track, one causal predictor with the voice and
/// one without, started when the track starts and flushed when it ends (the face absent for more than
/// <see cref="EndAfterFrames"/>), and each frame's voice shared between the persons present by how well their mouth
/// follows the loudness (<see cref="VoiceAttribution"/>) over the frames that have arrived: up to the look-ahead past it,
/// where a file reads 1.7 s.</summary>
/// <remarks>Memory is bounded by the persons present: per track the two predictors' windows and a ring of recent mouth
/// motion; finished frames wait here at most the look-ahead. A file blends the two predictions before its temporal
/// smoothing, a stream after it (both are linear; the share changes slowly).</remarks>
internal sealed class LivePeople
{
    /// <summary>Frames a person's face may be missing before their track ends (the tracker's own patience).</summary>
    public static readonly int EndAfterFrames = new FaceTrackerOptions().HiddenFrames;

    private readonly Func<CausalPredictor> _newPredictor;
    private readonly int _ring;
    private readonly FrameRing _change;
    private readonly Dictionary<int, Track> _tracks = [];
    private readonly Dictionary<int, List<Finished>> _finished = [];
    private readonly Dictionary<int, int> _seen = [];
    private float _loudness = float.NaN;
    private int _latest = -1;

    /// <summary>People of one stream whose predictors come from <paramref name="newPredictor"/> (each with a look-ahead of
    /// <paramref name="lookahead"/> frames, as the stream's own).</summary>
    public LivePeople(Func<CausalPredictor> newPredictor, int lookahead)
    {
        _newPredictor = newPredictor;
        _ring = lookahead + VoiceAttribution.FramesBefore + VoiceAttribution.FramesAfter + 1;
        _change = new FrameRing(_ring, 0f);
    }

    /// <summary>Frames person <paramref name="id"/> has been seen in so far.</summary>
    public int SeenFrames(int id) => _seen.GetValueOrDefault(id);

    /// <summary>Takes one frame's persons: starts the tracks of new ones, pushes every track, ends those gone too long.</summary>
    public void Push(LiveFeatureRow row)
    {
        // A mouth moves when syllables start and stop: the change of loudness is what it is compared with.
        bool known = !float.IsNaN(row.Loudness) && !float.IsNaN(_loudness);
        _change.Set(row.Frame, known ? MathF.Abs(row.Loudness - _loudness) : 0f);
        (_loudness, _latest) = (row.Loudness, row.Frame);
        foreach (var person in row.Persons)
        {
            if (!_tracks.TryGetValue(person.Person, out var track))
                _tracks[person.Person] = track = new Track(_newPredictor(), _newPredictor(), _ring);
            _seen[person.Person] = SeenFrames(person.Person) + 1;
            Collect(person.Person, track, track.Push(row, person));
        }
        foreach (var (id, track) in _tracks.Where(t => !row.Persons.Any(p => p.Person == t.Key)).ToList())
        {
            Collect(id, track, track.Push(row, null));
            if (track.Absent > EndAfterFrames)
                End(id, track);
        }
    }

    /// <summary>Ends every track (the stream or its connection ended): their pending frames become final.</summary>
    public void Flush()
    {
        foreach (var (id, track) in _tracks.ToList())
            End(id, track);
    }

    /// <summary>The persons of frame <paramref name="frame"/>, once the stream's own prediction of it is final (each
    /// person's is by then): their shares of the voice, blended predictions and speaking probability
    /// (<paramref name="speech"/>, the voice activity, × share; NaN without sound).</summary>
    public IReadOnlyList<LivePerson> Final(int frame, float speech)
    {
        if (!_finished.Remove(frame, out var done))
            return [];
        done.Sort((a, b) => a.Person.CompareTo(b.Person));
        var shares = new float[done.Count];
        var everyone = new bool[done.Count];
        Array.Fill(everyone, true);
        VoiceAttribution.Softmax([.. done.Select(d => d.Sync)], everyone, shares);
        var persons = new LivePerson[done.Count];
        for (int i = 0; i < done.Count; i++)
        {
            var d = done[i];
            var p = new float[ExpressionClasses.Count];
            for (int c = 0; c < p.Length; c++)
                p[c] = shares[i] * d.WithVoice[c] + (1 - shares[i]) * d.WithoutVoice[c];
            int label = TemporalSmoothing.Argmax(p)[0];
            persons[i] = new LivePerson(d.Person, d.Box, label, ExpressionClasses.Names[label], p, speech * shares[i]);
        }
        return persons;
    }

    private void End(int id, Track track)
    {
        Collect(id, track, track.Flush());
        _tracks.Remove(id);
    }

    // Each final frame where the person's face was present waits, with their synchrony at it, for the stream's own.
    private void Collect(int id, Track track, IEnumerable<(int Frame, LiveFaceBox? Box, float[] WithVoice, float[] WithoutVoice)> finals)
    {
        foreach (var (frame, box, withVoice, withoutVoice) in finals)
        {
            if (box is null)
                continue;
            if (!_finished.TryGetValue(frame, out var list))
                _finished[frame] = list = [];
            list.Add(new Finished(id, box, withVoice, withoutVoice, Synchrony(track, frame)));
        }
    }

    // VoiceAttribution's synchrony at the frame, over the recent frames the rings still hold.
    private float Synchrony(Track track, int frame)
    {
        int from = Math.Max(frame - VoiceAttribution.FramesBefore, _latest - _ring + 1);
        int to = Math.Min(frame + VoiceAttribution.FramesAfter, _latest);
        var motion = new float[to - from + 1];
        var change = new float[motion.Length];
        for (int f = from; f <= to; f++)
            (motion[f - from], change[f - from]) = (track.Mouth.Get(f), _change.Get(f));
        return VoiceAttribution.SynchronyAt(motion, change, frame - from);
    }

    private sealed record Finished(int Person, LiveFaceBox Box, float[] WithVoice, float[] WithoutVoice, float Sync);

    /// <summary>One person's track: two predictors fed the same face rows, one with the sound and one without.</summary>
    private sealed class Track(CausalPredictor withVoice, CausalPredictor withoutVoice, int ring)
    {
        private readonly Queue<(int Frame, LiveFaceBox? Box)> _pushed = new();
        private float[] _noVisual = [], _noAudio = [];

        public FrameRing Mouth { get; } = new(ring, float.NaN);

        /// <summary>Frames in a row without the face.</summary>
        public int Absent { get; private set; }

        public IEnumerable<(int, LiveFaceBox?, float[], float[])> Push(LiveFeatureRow row, LivePersonRow? person)
        {
            Absent = person is null ? Absent + 1 : 0;
            Mouth.Set(row.Frame, person?.Mouth ?? float.NaN);
            if (_noAudio.Length != row.Audio.Length)
                (_noVisual, _noAudio) = (new float[row.Visual.Length], new float[row.Audio.Length]);
            var box = person is null ? null : new LiveFaceBox(person.Box.X, person.Box.Y, person.Box.Width, person.Box.Height);
            _pushed.Enqueue((row.Frame, box));
            var visual = person?.Visual ?? _noVisual;
            return Pair(withVoice.Push(visual, person is not null, row.Audio, row.AudioPresent),
                withoutVoice.Push(visual, person is not null, _noAudio, false));
        }

        public IEnumerable<(int, LiveFaceBox?, float[], float[])> Flush() => Pair(withVoice.Flush(), withoutVoice.Flush());

        // Both predictors settle the same pushes at once, in push order.
        private List<(int, LiveFaceBox?, float[], float[])> Pair(IReadOnlyList<CausalFrame> voiced, IReadOnlyList<CausalFrame> silent)
        {
            var result = new List<(int, LiveFaceBox?, float[], float[])>(voiced.Count);
            for (int i = 0; i < voiced.Count; i++)
            {
                var (frame, box) = _pushed.Dequeue();
                result.Add((frame, box, voiced[i].Probabilities, silent[i].Probabilities));
            }
            return result;
        }
    }

    /// <summary>The last few frames' values by frame index; a frame it does not hold (dropped, or too old) reads as
    /// <c>missing</c>.</summary>
    private sealed class FrameRing(int length, float missing)
    {
        private readonly float[] _values = new float[length];
        private readonly int[] _frames = Enumerable.Repeat(-1, length).ToArray();

        public void Set(int frame, float value) => (_values[frame % length], _frames[frame % length]) = (value, frame);

        public float Get(int frame) => frame >= 0 && _frames[frame % length] == frame ? _values[frame % length] : missing;
    }
}
