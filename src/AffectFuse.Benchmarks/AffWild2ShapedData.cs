using System.Text.Json;
using AffectFuse.Data;
using AffectFuse.Data.Synthetic;
using AffectFuse.IO;

namespace AffectFuse.Benchmarks;

/// <summary>Size and shape of a generated data set with Aff-Wild2's dimensions. Defaults: the EXPR challenge's training
/// and validation splits (about 597k and 284k annotated frames in 248 and 70 videos) with BEiT-large and WavLM-large
/// widths (1024 each) stored as float16, as ABAW teams' extractors write them.</summary>
internal sealed record AffWild2Shape
{
    /// <summary>Training videos.</summary>
    public int TrainVideos { get; init; } = 248;

    /// <summary>Validation videos.</summary>
    public int ValidationVideos { get; init; } = 70;

    /// <summary>Training frames over all training videos.</summary>
    public long TrainFrames { get; init; } = 597_000;

    /// <summary>Validation frames over all validation videos.</summary>
    public long ValidationFrames { get; init; } = 284_000;

    /// <summary>Visual feature width.</summary>
    public int VisualDim { get; init; } = 1024;

    /// <summary>Audio feature width.</summary>
    public int AudioDim { get; init; } = 1024;

    /// <summary>Storage precision: <see cref="NpyDType.Float16"/> or <see cref="NpyDType.Float32"/>.</summary>
    public NpyDType DType { get; init; } = NpyDType.Float16;

    /// <summary>Seed of the generated values.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Checks every value; a bad one is an <see cref="AffectFuseException"/> naming the option and its range.</summary>
    public void Validate()
    {
        OptionCheck.Range("--train-videos", TrainVideos, 1, 100_000);
        OptionCheck.Range("--val-videos", ValidationVideos, 1, 100_000);
        if (TrainFrames < TrainVideos || TrainFrames > 1L << 32)
            throw OptionCheck.Bad("--train-frames", $"must be between {TrainVideos} (one per video) and {1L << 32}", TrainFrames);
        if (ValidationFrames < ValidationVideos || ValidationFrames > 1L << 32)
            throw OptionCheck.Bad("--val-frames", $"must be between {ValidationVideos} (one per video) and {1L << 32}", ValidationFrames);
        OptionCheck.Range("--visual-dim", VisualDim, 1, 1 << 16);
        OptionCheck.Range("--audio-dim", AudioDim, 1, 1 << 16);
        if (DType is not (NpyDType.Float16 or NpyDType.Float32))
            throw new AffectFuseException("--dtype", $"must be float16 or float32, got {DType}");
    }

    /// <summary>Bytes of the feature files (headers aside).</summary>
    public long FeatureBytes => (TrainFrames + ValidationFrames) * (VisualDim + AudioDim) * (DType == NpyDType.Float16 ? 2L : 4L);
}

/// <summary>Writes a bring-your-own-features data set of a given <see cref="AffWild2Shape"/>: <c>visual/</c> and
/// <c>audio/</c> folders of <c>&lt;video&gt;.npy</c> and Aff-Wild2 EXPR label folders. Values are class prototypes plus noise
/// in 2–8 s expression segments, with zero rows where the face or the sound is missing, so training has something to learn.</summary>
/// <remarks>A <c>shape.json</c> written last marks a complete data set; a folder holding one for the same shape is reused.</remarks>
internal static class AffWild2ShapedData
{
    private const string Marker = "shape.json";
    private const double Fps = 30;

    /// <summary>The data set's sources in <paramref name="root"/> (writing it first unless it is already there);
    /// <paramref name="progress"/> receives (videos written, total).</summary>
    public static (DatasetSource Train, DatasetSource Validation) Ensure(string root, AffWild2Shape shape, Action<int, int>? progress = null)
    {
        shape.Validate();
        var sources = Sources(root);
        string marker = Path.Combine(root, Marker);
        string json = JsonSerializer.Serialize(shape, OptionsJson.Settings);
        if (File.Exists(marker) && File.ReadAllText(marker) == json)
            return sources;
        // Only a set this class wrote (it has the marker) is replaced; anything else in the way is the user's.
        if (!File.Exists(marker) && Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
            throw new AffectFuseException(root, "holds files that bench train did not write; give an empty or new folder");
        if (File.Exists(marker)) File.Delete(marker);
        foreach (var dir in new[] { sources.Train.VisualNpyDir!, sources.Train.AudioNpyDir!, sources.Train.LabelsDir!, sources.Validation.LabelsDir! })
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            Directory.CreateDirectory(dir);
        }

        var videos = Plan(shape);
        int done = 0;
        // Videos are independent streams of the seed, so writing them in parallel gives the same files.
        Parallel.ForEach(videos, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, v =>
        {
            Write(v, shape, v.Validation ? sources.Validation : sources.Train);
            progress?.Invoke(Interlocked.Increment(ref done), videos.Count);
        });
        AtomicFile.WriteAllText(marker, json);
        return sources;
    }

    /// <summary>Where the folders of a data set in <paramref name="root"/> are.</summary>
    public static (DatasetSource Train, DatasetSource Validation) Sources(string root)
    {
        var train = new DatasetSource
        {
            VisualNpyDir = Path.Combine(root, "visual"),
            AudioNpyDir = Path.Combine(root, "audio"),
            LabelsDir = AffWild2Layout.LabelsDir(root, AffWild2Split.Train),
            Fps = Fps,
        };
        return (train, train with { LabelsDir = AffWild2Layout.LabelsDir(root, AffWild2Split.Validation) });
    }

    private sealed record VideoPlan(string Id, int Frames, bool Validation, long Stream);

    private static List<VideoPlan> Plan(AffWild2Shape shape)
    {
        var plans = new List<VideoPlan>();
        void Split(int videos, long frames, bool validation)
        {
            // Lengths between half and one and a half times the mean, rescaled to the exact total.
            var rng = new SyntheticRandom(shape.Seed, validation ? -2 : -1);
            var weights = Enumerable.Range(0, videos).Select(_ => rng.Uniform(0.5, 1.5)).ToArray();
            double sum = weights.Sum();
            long assigned = 0;
            for (int i = 0; i < videos; i++)
            {
                int n = i == videos - 1 ? (int)(frames - assigned) : Math.Max(1, (int)(frames * weights[i] / sum));
                assigned += n;
                plans.Add(new VideoPlan($"{(validation ? "val" : "train")}-{i:D4}", n, validation, plans.Count + 1));
            }
        }
        Split(shape.TrainVideos, shape.TrainFrames, validation: false);
        Split(shape.ValidationVideos, shape.ValidationFrames, validation: true);
        return plans;
    }

    private static void Write(VideoPlan video, AffWild2Shape shape, DatasetSource source)
    {
        var rng = new SyntheticRandom(shape.Seed, video.Stream);
        int[] labels = Labels(video.Frames, rng);
        NpyFormat.Write(Path.Combine(source.VisualNpyDir!, video.Id + ".npy"), Features(labels, shape.VisualDim, shape.DType, 0.10, rng, 11));
        NpyFormat.Write(Path.Combine(source.AudioNpyDir!, video.Id + ".npy"), Features(labels, shape.AudioDim, shape.DType, 0.05, rng, 23));
        // A few frames are not annotated, as in Aff-Wild2 (-1).
        var lines = labels.Select(l => rng.NextDouble() < 0.02 ? "-1" : l.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AtomicFile.WriteAllText(Path.Combine(source.LabelsDir!, video.Id + ExprLabelFile.Extension),
            string.Join('\n', lines.Prepend(ExpressionClasses.Header)) + "\n");
    }

    private static int[] Labels(int frames, SyntheticRandom rng)
    {
        var labels = new int[frames];
        for (int t = 0; t < frames;)
        {
            int length = rng.NextInclusive((int)(2 * Fps), (int)(8 * Fps));
            int label = rng.Next(ExpressionClasses.Count);
            for (int end = Math.Min(frames, t + length); t < end; t++) labels[t] = label;
        }
        return labels;
    }

    // Row t = prototype(label) + uniform noise, or all zeros (missing) in runs of about a second.
    private static NpyArray Features(int[] labels, int width, NpyDType dtype, double missingShare, SyntheticRandom rng, int prototypeStream)
    {
        var prototypes = new float[ExpressionClasses.Count][];
        var protoRng = new SyntheticRandom(prototypeStream, width);
        for (int c = 0; c < prototypes.Length; c++)
            prototypes[c] = Enumerable.Range(0, width).Select(_ => (float)protoRng.Uniform(-0.5, 0.5)).ToArray();

        int frames = labels.Length;
        var values = new float[width];
        Half[]? halves = dtype == NpyDType.Float16 ? new Half[(long)frames * width] : null;
        float[]? singles = halves is null ? new float[(long)frames * width] : null;
        bool missing = false;
        for (int t = 0; t < frames; t++)
        {
            if (t % (int)Fps == 0) missing = rng.NextDouble() < missingShare;
            if (missing) continue;
            var p = prototypes[labels[t]];
            for (int d = 0; d < width; d += 4)
            {
                // One 64-bit draw gives four 16-bit uniforms: 1.8 billion values take seconds, not minutes.
                ulong bits = rng.NextUInt64();
                for (int k = 0; k < 4 && d + k < width; k++, bits >>= 16)
                    values[d + k] = p[d + k] + ((ushort)bits / 65536f - 0.5f) * 2f;
            }
            if (halves is not null)
                System.Numerics.Tensors.TensorPrimitives.ConvertToHalf(values, halves.AsSpan(t * width, width));
            else
                values.CopyTo(singles.AsSpan(t * width, width));
        }
        return halves is not null ? NpyArray.Of(halves, frames, width) : NpyArray.Of(singles!, frames, width);
    }
}
