namespace AffectFuse.Benchmarks.Compose;

/// <summary>Draws clip plans: length, expression segments from the class prior with persistence, face photographs
/// and utterances of the segment's class from the clip's split only, absent-face spans, pauses and SNR.</summary>
public sealed class ClipPlanner
{
    private readonly ComposeOptions _options;
    private readonly ComposeSplit _split;
    private readonly double[] _prior;
    private readonly List<FacePhoto>[] _photosByClass;
    private readonly Dictionary<string, List<FacePhoto>> _photosByIdentity;
    private readonly List<string> _identities;
    private readonly double[] _identityWeights;
    private readonly List<string> _speakers;
    private readonly Dictionary<string, List<Utterance>> _utterancesBySpeaker;
    private readonly Action<string>? _warn;

    /// <summary>Class shares this split draws from (a class with no photograph in the split has share 0).</summary>
    public IReadOnlyList<double> Prior => _prior;

    /// <summary>Prepares planning for one split; <paramref name="warn"/> hears about classes the split lacks.</summary>
    public ClipPlanner(ComposeOptions options, ComposeSplit split, FaceCatalogue faces, UtteranceCatalogue voices, Action<string>? warn = null)
    {
        _options = options;
        _split = split;
        _warn = warn;
        string name = ComposeLayout.SplitName(split);
        var photos = faces.InSplit(split).ToList();
        if (photos.Count == 0)
            throw new AffectFuseException(Path.Combine(Path.GetDirectoryName(faces.ImagesDir) ?? "", "labels.csv"), $"no face photograph in the {name} split");
        _photosByClass = Enumerable.Range(0, ExpressionClasses.Count).Select(c => photos.Where(p => p.Class == c).ToList()).ToArray();
        _photosByIdentity = photos.GroupBy(p => p.Identity).ToDictionary(g => g.Key, g => g.ToList());

        var weights = options.ClassPrior.ToArray();
        for (int c = 0; c < weights.Length; c++)
            if (weights[c] > 0 && _photosByClass[c].Count == 0)
            {
                warn?.Invoke($"the {name} split has no face photograph of {ExpressionClasses.Names[c]}; its clips leave that class out");
                weights[c] = 0;
            }
        if (weights.Sum() <= 0)
            throw new AffectFuseException(null, $"the {name} split has no face photograph of any class the prior allows");
        _prior = ClassPriors.WithFloor(weights, Math.Min(options.ClassFloor, 1.0 / weights.Count(w => w > 0)));

        // Prefer identities that can carry several classes, so a clip keeps one face for as long as the data allows:
        // an identity's weight is the prior mass of the classes it has photographs of.
        _identities = _photosByIdentity.Where(g => g.Value.Select(p => p.Class).Distinct().Count() > 1).Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
        if (_identities.Count == 0)
            _identities = _photosByIdentity.Keys.Order(StringComparer.Ordinal).ToList();
        _identityWeights = _identities.Select(id => _photosByIdentity[id].Select(p => p.Class).Distinct().Sum(c => _prior[c])).ToArray();

        var splitSpeakers = options.SpeakersOf(split).ToHashSet();
        _utterancesBySpeaker = voices.Utterances.Where(u => splitSpeakers.Contains(u.Speaker))
            .GroupBy(u => u.Speaker).ToDictionary(g => g.Key, g => g.ToList());
        _speakers = _utterancesBySpeaker.Keys.Order(StringComparer.Ordinal).ToList();
        if (_speakers.Count == 0)
            throw new AffectFuseException(voices.WavDir, $"no recording of the {name} split's speakers ({string.Join(" ", options.SpeakersOf(split))})");
        for (int c = 0; c < ExpressionClasses.Count; c++)
            if (_prior[c] > 0 && c != SurpriseClass && !_utterancesBySpeaker.Values.Any(l => l.Any(u => u.Class == c)))
                warn?.Invoke($"the {name} split's speakers have no utterance of {ExpressionClasses.Names[c]}; its segments carry noise only");
    }

    private const int SurpriseClass = 6;

    /// <summary>Plans the split's <paramref name="count"/> clips, each from its own seed drawn from <paramref name="rng"/>,
    /// so that every class the split's prior allows occurs in at least one clip (when there are enough segments): a
    /// split that never shows a class cannot score it, and a macro-F1 over it means something else.</summary>
    public List<ClipPlan> PlanSplit(int count, Random rng)
    {
        int[] seeds = Enumerable.Range(0, count).Select(_ => rng.Next()).ToArray();
        var forced = Enumerable.Range(0, count).Select(_ => new Dictionary<int, int>()).ToArray();
        var clips = Enumerable.Range(0, count).Select(i => Plan(i, new Random(seeds[i]))).ToList();
        for (int c = 0; c < _prior.Length; c++)
        {
            if (_prior[c] <= 0 || clips.Any(p => p.Segments.Any(s => s.Class == c)))
                continue;
            if (DonorSegment(clips) is not (int clip, int segment))
            {
                _warn?.Invoke($"the {ComposeLayout.SplitName(_split)} split has too few segments to show {ExpressionClasses.Names[c]}");
                continue;
            }
            // The same seed redraws the same segment bounds and classes, so only the donor segments change class.
            forced[clip][segment] = c;
            clips[clip] = Plan(clip, new Random(seeds[clip]), forced[clip]);
        }
        return clips;
    }

    // A segment whose class the split shows most often (at least twice), so that giving it away uncovers nothing.
    private static (int Clip, int Segment)? DonorSegment(List<ClipPlan> clips)
    {
        var counts = clips.SelectMany(p => p.Segments).GroupBy(s => s.Class).ToDictionary(g => g.Key, g => g.Count());
        var best = counts.Where(kv => kv.Value >= 2).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Select(kv => (int?)kv.Key).FirstOrDefault();
        if (best is not int cls)
            return null;
        for (int i = clips.Count - 1; i >= 0; i--)
        {
            int s = clips[i].Segments.ToList().FindIndex(x => x.Class == cls);
            if (s >= 0)
                return (i, s);
        }
        return null;
    }

    /// <summary>Plans clip number <paramref name="index"/> with draws from <paramref name="rng"/>; <paramref name="force"/>
    /// gives segments (by index) another class after the bounds are drawn.</summary>
    public ClipPlan Plan(int index, Random rng, IReadOnlyDictionary<int, int>? force = null)
    {
        var o = _options;
        int fps = o.Fps;
        int frames = (int)Math.Round(Uniform(rng, o.MinClipSeconds, o.MaxClipSeconds) * fps);
        string speaker = _speakers[rng.Next(_speakers.Count)];
        string identity = _identities[Draw(rng, _identityWeights)];

        // Segments: lengths uniform in the range; a remainder shorter than the shortest segment joins the last one.
        int minSeg = Math.Max(1, (int)Math.Round(o.MinSegmentSeconds * fps));
        var bounds = new List<(int Class, int Start, int End)>();
        int start = 0, previous = -1;
        while (start < frames)
        {
            int length = (int)Math.Round(Uniform(rng, o.MinSegmentSeconds, o.MaxSegmentSeconds) * fps);
            int end = frames - (start + length) < minSeg ? frames : start + length;
            int cls = previous >= 0 && rng.NextDouble() < o.StayProbability ? previous : Draw(rng, _prior);
            bounds.Add((cls, start, end));
            previous = cls;
            start = end;
        }
        foreach (var (segment, cls) in force ?? new Dictionary<int, int>())
            if (segment < bounds.Count)
                bounds[segment] = bounds[segment] with { Class = cls };

        // Speech: aim at (1 - silent) of all frames; Surprise has none, so the other segments carry a little more.
        int speechFrames = bounds.Where(b => b.Class != SurpriseClass).Sum(b => b.End - b.Start);
        double speechRate = speechFrames == 0 ? 0 : Math.Min(1, (1 - o.SilentFraction) * frames / speechFrames);

        var segments = new List<SegmentPlan>();
        string? lastImage = null;
        double debt = 0; // speech frames wanted but not placed so far: whole utterances rarely fill a segment exactly
        foreach (var (cls, s, e) in bounds)
        {
            var photo = PickPhoto(rng, cls, identity, lastImage);
            lastImage = photo.Image;
            List<UtterancePlan> utterances = [];
            if (cls != SurpriseClass)
            {
                double wanted = (e - s) * speechRate + debt;
                utterances = PlaceUtterances(rng, cls, speaker, s, e, Math.Max(0, wanted));
                debt = wanted - utterances.Sum(u => u.EndFrame - u.StartFrame);
            }
            segments.Add(new SegmentPlan(cls, s, e, photo.Image, photo.Identity, utterances));
        }

        double snr = Math.Round(Uniform(rng, o.MinSnrDb, o.MaxSnrDb), 1);
        var absent = PlaceAbsentSpans(rng, frames);
        return new ClipPlan($"{ComposeLayout.SplitName(_split)}_{index:D3}", _split, speaker, identity, frames, snr, rng.Next(), segments, absent);
    }

    private FacePhoto PickPhoto(Random rng, int cls, string identity, string? avoid)
    {
        var own = _photosByIdentity[identity].Where(p => p.Class == cls).ToList();
        var pool = own.Count > 0 ? own : _photosByClass[cls];
        // A new segment should look like a new moment: avoid showing the same photograph twice in a row.
        var fresh = pool.Where(p => p.Image != avoid).ToList();
        if (fresh.Count > 0) pool = fresh;
        return pool[rng.Next(pool.Count)];
    }

    private List<UtterancePlan> PlaceUtterances(Random rng, int cls, string speaker, int start, int end, double wantedFrames)
    {
        int fps = _options.Fps;
        var pool = _utterancesBySpeaker[speaker].Where(u => u.Class == cls).ToList();
        if (pool.Count == 0) // the clip's speaker never spoke this emotion: borrow from the split's other speakers
            pool = _speakers.SelectMany(sp => _utterancesBySpeaker[sp]).Where(u => u.Class == cls).ToList();
        if (pool.Count == 0)
            return [];

        int length = end - start;
        int budget = Math.Min(length, (int)Math.Round(wantedFrames));
        int minPiece = Math.Max(1, fps / 2); // no fragment shorter than half a second: too short to carry an emotion
        var chosen = new List<(Utterance U, int Frames)>();
        int used = 0;
        while (used < budget)
        {
            var candidates = pool.Where(u => chosen.Count == 0 || u != chosen[^1].U).ToList();
            if (candidates.Count == 0) candidates = pool;
            var u = candidates[rng.Next(candidates.Count)];
            int full = (int)Math.Ceiling(u.Seconds * fps);
            // The last utterance may be cut short (the mixer fades it out) so speech can fill the budget exactly. A
            // remainder under a second is rounded to the nearest: one short piece, or none (the caller carries the rest).
            int shortest = Math.Min(full, minPiece);
            int take = Math.Min(full, budget - used);
            if (take < shortest)
            {
                if (2 * take < shortest || length - used < shortest)
                    break;
                take = shortest;
            }
            chosen.Add((u, take));
            used += take;
        }
        if (chosen.Count == 0)
            return [];

        // Pauses: the leftover frames split at random among the gaps before, between and after the utterances.
        var weights = Enumerable.Range(0, chosen.Count + 1).Select(_ => -Math.Log(1 - rng.NextDouble())).ToArray();
        double total = weights.Sum();
        int free = length - used, position = start, spent = 0;
        double acc = 0;
        var placed = new List<UtterancePlan>();
        for (int i = 0; i < chosen.Count; i++)
        {
            acc += weights[i];
            int gapEnd = (int)Math.Round(free * acc / total);
            position += gapEnd - spent;
            spent = gapEnd;
            placed.Add(new UtterancePlan(chosen[i].U.File, chosen[i].U.Speaker, position, position + chosen[i].Frames));
            position += chosen[i].Frames;
        }
        return placed;
    }

    private List<AbsentSpan> PlaceAbsentSpans(Random rng, int frames)
    {
        var o = _options;
        int target = (int)Math.Round(o.AbsentFraction * frames);
        int minLen = Math.Max(1, (int)Math.Round(o.MinAbsentSeconds * o.Fps));
        var spans = new List<AbsentSpan>();
        int covered = 0;
        // Rejection sampling of non-touching spans; the last one is cut to land on the target.
        for (int attempt = 0; covered < target && attempt < 1000; attempt++)
        {
            int length = Math.Min(target - covered, (int)Math.Round(Uniform(rng, o.MinAbsentSeconds, o.MaxAbsentSeconds) * o.Fps));
            length = Math.Min(length, frames);
            if (length < minLen && covered > 0 && attempt < 500)
                length = Math.Min(minLen, frames); // keep spans long enough to matter, and overshoot a little rather than leave a flicker
            int start = rng.Next(frames - length + 1);
            if (spans.Any(a => start <= a.EndFrame && start + length >= a.StartFrame))
                continue;
            var kind = (AbsentKind)rng.Next(4);
            spans.Add(new AbsentSpan(kind, start, start + length));
            covered += length;
        }
        return spans.OrderBy(a => a.StartFrame).ToList();
    }

    private static double Uniform(Random rng, double min, double max) => min + (max - min) * rng.NextDouble();

    private static int Draw(Random rng, IReadOnlyList<double> shares)
    {
        double u = rng.NextDouble() * shares.Sum(), acc = 0;
        for (int c = 0; c < shares.Count; c++)
        {
            acc += shares[c];
            if (shares[c] > 0 && u < acc) return c;
        }
        return Enumerable.Range(0, shares.Count).Last(c => shares[c] > 0);
    }
}
