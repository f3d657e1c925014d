namespace AffectFuse.Data.Synthetic;

/// <summary>Writes a synthetic data set in the real Aff-Wild2 layout: <c>EXPR_Recognition_Challenge/Train_Set</c>,
/// <c>Validation_Set</c> (and, when asked for, <c>Test_Set</c>) annotation files and one <c>features/&lt;video&gt;.npz</c> per video.</summary>
/// <remarks>Each person's frames follow persistent expression segments whose classes track the long-tailed target
/// shares. Features are a class prototype (eased in at segment changes) + a per-video offset + slow drift + Gaussian
/// noise. Some classes are visible in one modality only: Fear and Sadness share Neutral's visual prototype but have
/// their own audio; Disgust and Surprise share Neutral's audio prototype but have their own visual one, so only a
/// model that fuses both can tell all eight apart. Spans without a face or without audio are zero rows with the mask
/// false. Two-person videos (<c>_left</c>/<c>_right</c>) share one audio track that follows the left person.</remarks>
internal static class SyntheticDataset
{
    private const int Neutral = 0, Disgust = 2, Fear = 3, Sadness = 5, Surprise = 6;
    private static readonly string[] Resolutions = ["640x360", "1280x720", "1920x1080", "480x360"];

    private const int TrainSplit = 0, ValidationSplit = 1, TestSplit = 2;

    private sealed record VideoPlan(string Id, int Frames, int Fps, int Split, long Stream, string? AudioGroup)
    {
        public bool Train => Split == TrainSplit;
    }

    /// <summary>Generates the data set under <paramref name="outDir"/>; <paramref name="progress"/> receives the number of
    /// videos written so far. Same options, same bytes. Refuses a folder that already holds other videos' files.</summary>
    public static SyntheticSummary Generate(SyntheticOptions o, string outDir, IProgress<int>? progress = null)
    {
        o.Validate();
        string trainDir = AffWild2Layout.LabelsDir(outDir, AffWild2Split.Train);
        string validationDir = AffWild2Layout.LabelsDir(outDir, AffWild2Split.Validation);
        string testDir = AffWild2Layout.LabelsDir(outDir, AffWild2Split.Test);
        string featuresDir = AffWild2Layout.FeaturesDir(outDir);

        var planner = new SyntheticRandom(o.Seed, 0);
        var (visualPrototypes, audioPrototypes) = Prototypes(o, planner);
        int number = 1;
        var train = PlanSplit(o, planner, o.TrainVideos, o.TwoPersonPairs, TrainSplit, ref number);
        var validation = PlanSplit(o, planner, o.ValidationVideos, 0, ValidationSplit, ref number);
        // Planned after the other splits, from the same stream, so adding a test split leaves train and validation unchanged.
        var test = PlanSplit(o, planner, o.TestVideos, 0, TestSplit, ref number);

        RefuseStaleFiles(trainDir, ExprLabelFile.Extension, train.Select(v => v.Id));
        RefuseStaleFiles(validationDir, ExprLabelFile.Extension, validation.Select(v => v.Id));
        RefuseStaleFiles(testDir, ExprLabelFile.Extension, test.Select(v => v.Id));
        RefuseStaleFiles(featuresDir, FeatureFile.Extension, train.Concat(validation).Concat(test).Select(v => v.Id));

        var shares = o.ClassShares.Select(s => s / o.ClassShares.Sum()).ToArray();
        var trainClasses = AssignClasses(o, shares, train, new SyntheticRandom(o.Seed, 1));
        var validationClasses = AssignClasses(o, shares, validation, new SyntheticRandom(o.Seed, 2));
        var testClasses = AssignClasses(o, shares, test, new SyntheticRandom(o.Seed, 3));

        var counts = new Counts();
        var sharedAudio = new Dictionary<string, (float[] Audio, bool[] Mask)>(StringComparer.Ordinal);
        int done = 0, surplusLeft = o.SurplusLabelVideos;
        foreach (var (plan, classes) in train.Zip(trainClasses).Concat(validation.Zip(validationClasses)).Concat(test.Zip(testClasses)))
        {
            var rng = new SyntheticRandom(o.Seed, plan.Stream);
            int[] labels = Annotate(o, classes, plan.Fps, rng);
            var (visual, visualMask) = Modality(classes, visualPrototypes, o.VisualDim, o.NoFaceFraction, plan.Fps, o, rng);

            // Audio of a two-person video is drawn once, from the left person's stream, and shared by both.
            (float[] Audio, bool[] Mask) audio;
            if (plan.AudioGroup is { } group && sharedAudio.TryGetValue(group, out var shared))
                audio = shared;
            else
            {
                audio = Modality(classes, audioPrototypes, o.AudioDim, o.NoAudioFraction, plan.Fps, o, new SyntheticRandom(o.Seed, plan.Stream + 500_000));
                if (plan.AudioGroup is { } g) sharedAudio[g] = audio;
            }

            var timestamps = new double[plan.Frames];
            for (int t = 0; t < timestamps.Length; t++) timestamps[t] = (double)t / plan.Fps;
            FeatureFile.Save(new VideoFeatures
            {
                VideoId = plan.Id,
                Visual = FeatureMatrix.Of(visual, o.VisualDim),
                VisualMask = visualMask,
                Audio = FeatureMatrix.Of(audio.Audio, o.AudioDim),
                AudioMask = audio.Mask,
                Timestamps = timestamps,
                Meta = new FeatureMeta
                {
                    Fps = plan.Fps,
                    VisualFeatures = "synthetic-visual",
                    VisualVersion = "1",
                    AudioFeatures = "synthetic-audio",
                    AudioVersion = "1",
                },
            }, Path.Combine(featuresDir, plan.Id + FeatureFile.Extension));

            // The organisers' off-by-one: one label more than the video has frames.
            int[] written = labels;
            if (plan.Train && plan.AudioGroup is null && surplusLeft > 0)
            {
                written = [.. labels, labels[^1]];
                surplusLeft--;
            }
            string labelDir = plan.Split switch { TrainSplit => trainDir, ValidationSplit => validationDir, _ => testDir };
            ExprLabelFile.Write(Path.Combine(labelDir, plan.Id + ExprLabelFile.Extension), written);

            counts.Add(plan.Split, labels, visualMask, audio.Mask);
            progress?.Report(++done);
        }

        return new SyntheticSummary
        {
            TrainLabelsDir = trainDir,
            ValidationLabelsDir = validationDir,
            FeaturesDir = featuresDir,
            TrainVideoIds = train.Select(v => v.Id).Order(StringComparer.Ordinal).ToList(),
            ValidationVideoIds = validation.Select(v => v.Id).Order(StringComparer.Ordinal).ToList(),
            TestLabelsDir = test.Count > 0 ? testDir : null,
            TestVideoIds = test.Select(v => v.Id).Order(StringComparer.Ordinal).ToList(),
            TrainFrames = counts.Frames[TrainSplit],
            ValidationFrames = counts.Frames[ValidationSplit],
            TestFrames = counts.Frames[TestSplit],
            TrainClassShares = counts.Shares(TrainSplit),
            ValidationClassShares = counts.Shares(ValidationSplit),
            TestClassShares = counts.Shares(TestSplit),
            UnannotatedFraction = counts.Fraction(counts.Unannotated),
            NoFaceFraction = counts.Fraction(counts.NoFace),
            NoAudioFraction = counts.Fraction(counts.NoAudio),
        };
    }

    private static (float[][] Visual, float[][] Audio) Prototypes(SyntheticOptions o, SyntheticRandom rng)
    {
        float[] Draw(int dim) => Enumerable.Range(0, dim).Select(_ => (float)(o.PrototypeScale * rng.Gaussian())).ToArray();
        var visual = Enumerable.Range(0, ExpressionClasses.Count).Select(_ => Draw(o.VisualDim)).ToArray();
        var audio = Enumerable.Range(0, ExpressionClasses.Count).Select(_ => Draw(o.AudioDim)).ToArray();
        visual[Fear] = visual[Sadness] = visual[Neutral];
        audio[Disgust] = audio[Surprise] = audio[Neutral];
        return (visual, audio);
    }

    private static List<VideoPlan> PlanSplit(SyntheticOptions o, SyntheticRandom rng, int videos, int pairs, int split, ref int number)
    {
        var plans = new List<VideoPlan>(videos);
        while (plans.Count < videos)
        {
            int fps = o.FrameRates[rng.Next(o.FrameRates.Count)];
            int frames = rng.NextInclusive(o.MinFrames, o.MaxFrames);
            string id = $"{number}-{fps}-{Resolutions[rng.Next(Resolutions.Length)]}";
            long stream = 1000L * number++;
            if (plans.Count < 2 * pairs)
            {
                plans.Add(new VideoPlan(id + AffWild2Layout.PersonSuffixes[0], frames, fps, split, stream, id));
                plans.Add(new VideoPlan(id + AffWild2Layout.PersonSuffixes[1], frames, fps, split, stream + 1, id));
            }
            else
            {
                plans.Add(new VideoPlan(id, frames, fps, split, stream, null));
            }
        }
        return plans;
    }

    /// <summary>Per-frame classes: segments of a few seconds whose class is drawn in proportion to each class's
    /// remaining frame quota over the split, so realised shares stay close to the targets even for rare classes.</summary>
    private static List<int[]> AssignClasses(SyntheticOptions o, double[] shares, List<VideoPlan> plans, SyntheticRandom rng)
    {
        long total = plans.Sum(p => (long)p.Frames);
        var need = shares.Select(s => s * total).ToArray();
        var result = new List<int[]>(plans.Count);
        foreach (var plan in plans)
        {
            var classes = new int[plan.Frames];
            int t = 0, previous = -1;
            while (t < classes.Length)
            {
                int c = DrawClass(need, shares, previous, rng);
                double seconds = Math.Clamp(o.SegmentSeconds * Math.Exp(0.5 * rng.Gaussian()), 0.5, 10);
                int length = Math.Max(1, (int)Math.Round(seconds * plan.Fps));
                // Trim a segment to its class's remaining quota, but never below half a second.
                length = Math.Min(length, Math.Max((int)Math.Ceiling(need[c]), (int)Math.Ceiling(0.5 * plan.Fps)));
                length = Math.Min(length, classes.Length - t);
                Array.Fill(classes, c, t, length);
                need[c] -= length;
                t += length;
                previous = c;
            }
            result.Add(classes);
        }
        return result;
    }

    private static int DrawClass(double[] need, double[] shares, int previous, SyntheticRandom rng)
    {
        var weights = need.Select((n, c) => c == previous ? 0 : Math.Max(0, n)).ToArray();
        if (weights.Sum() <= 0) weights = shares.Select((s, c) => c == previous ? 0 : s).ToArray();
        if (weights.Sum() <= 0) weights = shares.ToArray();
        double pick = rng.NextDouble() * weights.Sum();
        for (int c = 0; c < weights.Length; c++)
        {
            pick -= weights[c];
            if (pick < 0 && weights[c] > 0) return c;
        }
        return Array.FindLastIndex(weights, w => w > 0);
    }

    private static int[] Annotate(SyntheticOptions o, int[] classes, int fps, SyntheticRandom rng)
    {
        var labels = (int[])classes.Clone();
        var unannotated = Spans(classes.Length, o.UnannotatedFraction, 0.5 * fps, 2.0 * fps, rng);
        for (int t = 0; t < labels.Length; t++)
        {
            if (unannotated[t]) labels[t] = ExpressionClasses.Unannotated;
        }
        return labels;
    }

    /// <summary>One modality's rows: eased class prototype + per-video offset + drift + noise; zero rows where absent.</summary>
    private static (float[] Values, bool[] Mask) Modality(int[] classes, float[][] prototypes, int dim, double missingFraction,
        int fps, SyntheticOptions o, SyntheticRandom rng)
    {
        int frames = classes.Length;
        var offset = new double[dim];
        var driftAmplitude = new double[dim];
        var driftOmega = new double[dim];
        var driftPhase = new double[dim];
        for (int d = 0; d < dim; d++)
        {
            offset[d] = o.VideoOffsetStd * rng.Gaussian();
            driftAmplitude[d] = o.DriftAmplitude * rng.Uniform(0.5, 1.5);
            driftOmega[d] = 2 * Math.PI / rng.Uniform(20, 60);
            driftPhase[d] = rng.Uniform(0, 2 * Math.PI);
        }
        bool[] absent = Spans(frames, missingFraction, 0.5 * fps, 4.0 * fps, rng);

        // Expressions build up over about a quarter second rather than switching in one frame.
        double ease = 1 - Math.Exp(-1.0 / (0.25 * fps));
        var current = prototypes[classes[0]].Select(v => (double)v).ToArray();
        var values = new float[(long)frames * dim];
        var mask = new bool[frames];
        for (int t = 0; t < frames; t++)
        {
            float[] target = prototypes[classes[t]];
            double seconds = (double)t / fps;
            for (int d = 0; d < dim; d++)
                current[d] += ease * (target[d] - current[d]);
            // Noise is drawn for every frame, present or not, so the spans do not shift later frames' noise.
            for (int d = 0; d < dim; d++)
            {
                double v = current[d] + offset[d] + driftAmplitude[d] * Math.Sin(driftOmega[d] * seconds + driftPhase[d])
                           + o.NoiseStd * rng.Gaussian();
                if (!absent[t]) values[(long)t * dim + d] = (float)v;
            }
            mask[t] = !absent[t];
        }
        return (values, mask);
    }

    /// <summary>Marks random spans of <paramref name="minLength"/>–<paramref name="maxLength"/> frames until about
    /// <paramref name="fraction"/> of the frames are covered.</summary>
    private static bool[] Spans(int frames, double fraction, double minLength, double maxLength, SyntheticRandom rng)
    {
        var marked = new bool[frames];
        int target = (int)Math.Round(fraction * frames), covered = 0;
        for (int attempt = 0; covered < target && attempt < 10_000; attempt++)
        {
            int length = Math.Min(target - covered, Math.Max(1, (int)Math.Round(rng.Uniform(minLength, maxLength))));
            int start = rng.Next(Math.Max(1, frames - length + 1));
            for (int t = start; t < Math.Min(frames, start + length); t++)
            {
                if (!marked[t]) { marked[t] = true; covered++; }
            }
        }
        return marked;
    }

    private static void RefuseStaleFiles(string dir, string extension, IEnumerable<string> ids)
    {
        if (!Directory.Exists(dir)) return;
        var expected = new HashSet<string>(ids.Select(id => id + extension), StringComparer.Ordinal);
        string? stale = Directory.EnumerateFiles(dir, "*" + extension)
            .Select(Path.GetFileName)
            .Where(n => n is not null && !n.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault(n => !expected.Contains(n!));
        if (stale is not null)
            throw new AffectFuseException(dir, $"already holds {stale}, which this synthetic data set would not write; choose an empty or new output folder");
    }

    private sealed class Counts
    {
        public readonly long[] Frames = new long[3];
        private readonly long[,] _classes = new long[3, ExpressionClasses.Count];
        public long Unannotated, NoFace, NoAudio;

        public void Add(int split, int[] labels, bool[] visualMask, bool[] audioMask)
        {
            Frames[split] += labels.Length;
            foreach (int l in labels)
            {
                if (l >= 0) _classes[split, l]++;
                else Unannotated++;
            }
            NoFace += visualMask.Count(m => !m);
            NoAudio += audioMask.Count(m => !m);
        }

        public IReadOnlyList<double> Shares(int split)
        {
            long annotated = 0;
            for (int c = 0; c < ExpressionClasses.Count; c++) annotated += _classes[split, c];
            return Enumerable.Range(0, ExpressionClasses.Count)
                .Select(c => annotated == 0 ? 0 : (double)_classes[split, c] / annotated).ToArray();
        }

        public double Fraction(long count) => Frames.Sum() == 0 ? 0 : (double)count / Frames.Sum();
    }
}
