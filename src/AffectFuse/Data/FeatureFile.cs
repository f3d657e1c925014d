using System.Text.Json;

namespace AffectFuse.Data;

/// <summary>Reads and writes the per-video <c>.npz</c> feature file (numpy-compatible).</summary>
/// <remarks>Arrays: <c>visual</c> float32 (or float16, kept as such) [T,Dv], <c>visual_mask</c> bool [T], <c>audio</c> float32 [T,Da],
/// <c>audio_mask</c> bool [T], <c>timestamps</c> float64 [T] (seconds) and <c>meta</c>, a 0-d unicode string holding
/// <see cref="FeatureMeta"/> as JSON, so <c>numpy.load(path)</c> reads it without pickling and
/// <c>json.loads(str(z['meta']))</c> gives the provenance.
/// <para>Format 2 (every face followed, <c>extract --face all</c>) has a person axis: <c>visual</c> [P,T,Dv],
/// <c>visual_mask</c> [P,T], <c>boxes</c> float32 [P,T,4] (fractions of the frame, NaN without a face), <c>person_ids</c>
/// int32 [P] and <c>voice_share</c> float32 [P,T]; the sound and the times are the video's, once. A format-1 file reads as
/// one person.</para></remarks>
public static class FeatureFile
{
    /// <summary>The file extension.</summary>
    public const string Extension = ".npz";

    internal static readonly JsonSerializerOptions MetaJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
    };

    private static readonly string[] Required = ["visual", "visual_mask", "audio", "audio_mask", "timestamps"];

    /// <summary>Writes atomically (temporary name, then rename); features are validated first, so nothing
    /// unreadable is ever written.</summary>
    public static void Save(VideoFeatures features, string path)
    {
        features.Validate(path);
        int t = features.FrameCount;
        NpzArchive.Write(path,
        [
            ("visual", features.Visual.ToNpy()),
            ("visual_mask", NpyArray.Of(features.VisualMask, t)),
            ("audio", features.Audio.ToNpy()),
            ("audio_mask", NpyArray.Of(features.AudioMask, t)),
            ("timestamps", NpyArray.Of(features.Timestamps, t)),
            ("meta", NpyArray.Scalar(JsonSerializer.Serialize(features.Meta, MetaJson))),
        ], compressed: true);
    }

    /// <summary>Writes every person of one video in format 2, atomically; they must share the video's sound and times.</summary>
    public static void SavePeople(IReadOnlyList<VideoFeatures> people, string path)
    {
        if (people.Count == 0)
            throw new ArgumentException("no persons to write", nameof(people));
        var first = people[0];
        foreach (var p in people)
        {
            p.Validate(path);
            if (!ReferenceEquals(p.Timestamps, first.Timestamps) && !p.Timestamps.AsSpan().SequenceEqual(first.Timestamps))
                throw new ArgumentException("the persons of one file share the video's timestamps", nameof(people));
        }
        int n = people.Count, t = first.FrameCount, width = first.VisualDim;
        var mask = new bool[n * t];
        var boxes = new float[n * t * 4];
        var share = new float[n * t];
        for (int i = 0; i < n; i++)
        {
            people[i].VisualMask.CopyTo(mask, i * t);
            (people[i].Boxes ?? NaNs(t * 4)).CopyTo(boxes, i * t * 4);
            (people[i].VoiceShare ?? Ones(t)).CopyTo(share, i * t);
        }
        NpzArchive.Write(path,
        [
            ("visual", Stacked(people, n, t, width)),
            ("visual_mask", NpyArray.Of(mask, n, t)),
            ("boxes", NpyArray.Of(boxes, n, t, 4)),
            ("person_ids", NpyArray.Of(people.Select(p => p.Person ?? 1).ToArray(), n)),
            ("voice_share", NpyArray.Of(share, n, t)),
            ("audio", first.Audio.ToNpy()),
            ("audio_mask", NpyArray.Of(first.AudioMask, t)),
            ("timestamps", NpyArray.Of(first.Timestamps, t)),
            ("meta", NpyArray.Scalar(JsonSerializer.Serialize(first.Meta, MetaJson))),
        ], compressed: true);
    }

    /// <summary>Every person of a file: a format-2 file's persons (ordered as stored, each with its id, boxes and share
    /// of the voice), or a format-1 file as one.</summary>
    public static IReadOnlyList<VideoFeatures> LoadPeople(string path)
    {
        var arrays = NpzArchive.Read(path);
        return arrays.TryGetValue("visual", out var v) && v.Rank == 3 ? People(path, arrays) : [Load(path, arrays)];
    }

    /// <summary>Reads and validates; errors name the file. Features may be float16, float32 or float64; masks bool
    /// (or integer, non-zero = present). A file without <c>meta</c> gets default provenance with the frame rate
    /// estimated from the timestamps.</summary>
    public static VideoFeatures Load(string path)
    {
        var arrays = NpzArchive.Read(path);
        if (arrays.TryGetValue("visual", out var v) && v.Rank == 3)
        {
            var people = People(path, arrays);
            if (people.Count != 1)
                throw new AffectFuseException(path, $"holds {people.Count} persons (every face followed); one is read by its id: "
                    + string.Join(", ", PersonIds(path, people)));
            return people[0];
        }
        return Load(path, arrays);
    }

    /// <summary>The ids a feature file is read by: its name when it holds one face (format 1, or one person), else each
    /// person's (<see cref="PersonIds(string, IReadOnlyList{VideoFeatures})"/>). Reads only the persons' ids and boxes.</summary>
    public static IReadOnlyList<string> ClipIds(string path)
    {
        string stem = Path.GetFileNameWithoutExtension(path);
        var arrays = NpzArchive.Read(path, name => name is "person_ids" or "boxes");
        if (!arrays.TryGetValue("person_ids", out var ids) || ids.Shape[0] <= 1 || !arrays.TryGetValue("boxes", out var boxes) || boxes.Rank != 3)
            return [stem];
        int[] persons = ids.Data as int[] ?? (ids.Data as long[])?.Select(x => (int)x).ToArray() ?? throw WrongType(path, "person_ids", ids, "int32");
        float[] all = boxes.ToSingles() ?? throw WrongType(path, "boxes", boxes, "float32");
        int perPerson = all.Length / persons.Length;
        return AffWild2Layout.PersonIds(stem, persons, [.. persons.Select((_, i) => all.AsSpan(i * perPerson, perPerson).ToArray())]);
    }

    /// <summary>One person of a video's file by their id (<see cref="ClipIds"/>); a file of one face gives that face for
    /// any id, a file named by the id itself is read whole.</summary>
    public static VideoFeatures LoadPerson(string path, string id)
    {
        if (Path.GetFileNameWithoutExtension(path) == id)
            return Load(path);
        var people = LoadPeople(path);
        if (people.Count == 1 && people[0].Person is null)
            return people[0];
        var ids = PersonIds(path, people);
        int index = ids.ToList().IndexOf(id);
        if (index < 0)
            throw new AffectFuseException(path, $"holds no person {id}; its persons are {string.Join(", ", ids)}");
        return people[index].Renamed(id);
    }

    /// <summary>The ids the persons of a video's file are read by (Aff-Wild2's <c>_left</c>/<c>_right</c> for two,
    /// <c>_personN</c> otherwise), in the file's order.</summary>
    public static IReadOnlyList<string> PersonIds(string path, IReadOnlyList<VideoFeatures> people) =>
        AffWild2Layout.PersonIds(Path.GetFileNameWithoutExtension(path), [.. people.Select(p => p.Person ?? 1)], [.. people.Select(p => p.Boxes)]);

    private static VideoFeatures Load(string path, IReadOnlyDictionary<string, NpyArray> arrays)
    {
        foreach (string name in Required)
        {
            if (!arrays.ContainsKey(name))
                throw new AffectFuseException(path, $"missing array '{name}' (a feature file holds {string.Join(", ", Required)} and meta)");
        }

        double[] timestamps = Vector(path, "timestamps", arrays["timestamps"]).ToDoubles()
            ?? throw WrongType(path, "timestamps", arrays["timestamps"], "a float");
        int t = timestamps.Length;
        var visual = Matrix(path, "visual", arrays["visual"], t);
        var audio = Matrix(path, "audio", arrays["audio"], t);
        bool[] visualMask = Mask(path, "visual_mask", arrays["visual_mask"], t);
        bool[] audioMask = Mask(path, "audio_mask", arrays["audio_mask"], t);
        var meta = arrays.TryGetValue("meta", out var metaArray)
            ? ParseMeta(path, metaArray)
            : new FeatureMeta { Fps = EstimateFps(timestamps) };

        var features = new VideoFeatures
        {
            VideoId = Path.GetFileNameWithoutExtension(path),
            Visual = visual,
            VisualMask = visualMask,
            Audio = audio,
            AudioMask = audioMask,
            Timestamps = timestamps,
            Meta = meta,
        };
        features.Validate(path);
        return features;
    }

    // Format 2: one VideoFeatures per person, sharing the sound and the times.
    private static List<VideoFeatures> People(string path, IReadOnlyDictionary<string, NpyArray> arrays)
    {
        foreach (string name in Required.Append("person_ids").Append("boxes"))
            if (!arrays.ContainsKey(name))
                throw new AffectFuseException(path, $"missing array '{name}' (a file of every person holds {string.Join(", ", Required)}, person_ids, boxes and meta)");
        double[] timestamps = Vector(path, "timestamps", arrays["timestamps"]).ToDoubles() ?? throw WrongType(path, "timestamps", arrays["timestamps"], "a float");
        int t = timestamps.Length;
        var ids = Vector(path, "person_ids", arrays["person_ids"]);
        int n = ids.Shape[0];
        int[] personIds = ids.Data as int[] ?? (ids.Data as long[])?.Select(x => (int)x).ToArray() ?? throw WrongType(path, "person_ids", ids, "int32");
        var visual = PerPerson(path, "visual", arrays["visual"], n, t);
        bool[] mask = PerPerson(path, "visual_mask", arrays["visual_mask"], n, t).ToBooleans() ?? throw WrongType(path, "visual_mask", arrays["visual_mask"], "bool");
        float[] boxes = PerPerson(path, "boxes", arrays["boxes"], n, t).ToSingles() ?? throw WrongType(path, "boxes", arrays["boxes"], "float32");
        float[]? share = arrays.TryGetValue("voice_share", out var s) ? PerPerson(path, "voice_share", s, n, t).ToSingles() : null;
        var audio = Matrix(path, "audio", arrays["audio"], t);
        bool[] audioMask = Mask(path, "audio_mask", arrays["audio_mask"], t);
        var meta = arrays.TryGetValue("meta", out var metaArray) ? ParseMeta(path, metaArray) : new FeatureMeta { Fps = EstimateFps(timestamps) };
        int width = visual.Shape[2];
        var people = new List<VideoFeatures>(n);
        for (int i = 0; i < n; i++)
        {
            var person = new VideoFeatures
            {
                VideoId = Path.GetFileNameWithoutExtension(path),
                Visual = PersonRows(path, visual, i, t, width),
                VisualMask = mask.AsSpan(i * t, t).ToArray(),
                Audio = audio,
                AudioMask = audioMask,
                Timestamps = timestamps,
                Meta = meta,
                Person = personIds[i],
                Boxes = boxes.AsSpan(i * t * 4, t * 4).ToArray(),
                VoiceShare = n > 1 && share is not null ? share.AsSpan(i * t, t).ToArray() : null,
            };
            person.Validate(path);
            people.Add(person);
        }
        return people;
    }

    // Person i's [T, Dv] block, in its stored precision (float16 stays float16).
    private static FeatureMatrix PersonRows(string path, NpyArray visual, int i, int frames, int width)
    {
        long start = (long)i * frames * width;
        int length = frames * width;
        return visual.Data switch
        {
            float[] f => FeatureMatrix.Of(f.AsSpan((int)start, length).ToArray(), width),
            Half[] h => FeatureMatrix.Of(h.AsSpan((int)start, length).ToArray(), width),
            double[] d => FeatureMatrix.Of(Array.ConvertAll(d.AsSpan((int)start, length).ToArray(), x => (float)x), width),
            _ => throw WrongType(path, "visual", visual, "float16, float32 or float64"),
        };
    }

    // An array whose first axis is the person and second the frame.
    private static NpyArray PerPerson(string path, string name, NpyArray a, int persons, int frames)
    {
        if (a.Rank < 2 || a.Shape[0] != persons || a.Shape[1] != frames)
            throw new AffectFuseException(path, $"array '{name}' has shape {a.ShapeText}; expected [{persons}, {frames}, …] (persons, frames)");
        return a;
    }

    // The persons' [T, Dv] rows as one [P, T, Dv] array, float16 when every person's rows are (float16 stays float16).
    private static NpyArray Stacked(IReadOnlyList<VideoFeatures> people, int n, int t, int width)
    {
        var blocks = people.Select(p => p.Visual.ToNpy().Data).ToList();
        if (blocks.All(b => b is Half[]))
            return NpyArray.Of(blocks.SelectMany(b => (Half[])b).ToArray(), n, t, width);
        var values = new float[(long)n * t * width];
        for (int i = 0; i < n; i++)
            people[i].Visual.ToSingles().CopyTo(values, (long)i * t * width);
        return NpyArray.Of(values, n, t, width);
    }

    private static float[] NaNs(int count)
    {
        var a = new float[count];
        a.AsSpan().Fill(float.NaN);
        return a;
    }

    private static float[] Ones(int count)
    {
        var a = new float[count];
        a.AsSpan().Fill(1f);
        return a;
    }

    /// <summary>Frame rate from the median frame interval; 30 when there are too few frames to tell.</summary>
    internal static double EstimateFps(double[] timestamps)
    {
        if (timestamps.Length < 2) return 30;
        var steps = new double[timestamps.Length - 1];
        for (int i = 0; i < steps.Length; i++) steps[i] = timestamps[i + 1] - timestamps[i];
        Array.Sort(steps);
        double median = steps[steps.Length / 2];
        return median > 0 && double.IsFinite(median) ? 1.0 / median : 30;
    }

    private static NpyArray Vector(string path, string name, NpyArray a)
    {
        if (a.Rank != 1)
            throw new AffectFuseException(path, $"array '{name}' has shape {a.ShapeText}; expected one dimension [T]");
        return a;
    }

    private static FeatureMatrix Matrix(string path, string name, NpyArray a, int frames)
    {
        if (a.Rank != 2)
            throw new AffectFuseException(path, $"array '{name}' has shape {a.ShapeText}; expected two dimensions [T, D]");
        if (a.Shape[0] != frames)
            throw new AffectFuseException(path, $"array '{name}' has {a.Shape[0]} rows but timestamps has {frames} frames");
        if (a.Shape[1] < 1)
            throw new AffectFuseException(path, $"array '{name}' has shape {a.ShapeText}: no feature columns");
        return FeatureMatrix.FromNpy(a) ?? throw WrongType(path, name, a, "float16, float32 or float64");
    }

    private static bool[] Mask(string path, string name, NpyArray a, int frames)
    {
        Vector(path, name, a);
        if (a.Shape[0] != frames)
            throw new AffectFuseException(path, $"array '{name}' has {a.Shape[0]} frames but timestamps has {frames}");
        return a.ToBooleans() ?? throw WrongType(path, name, a, "bool");
    }

    private static FeatureMeta ParseMeta(string path, NpyArray a)
    {
        if (a.Data is not string[] { Length: 1 } text)
            throw new AffectFuseException(path, $"array 'meta' has dtype {a.DTypeName} and shape {a.ShapeText}; expected one JSON string");
        try
        {
            return JsonSerializer.Deserialize<FeatureMeta>(text[0], MetaJson)
                ?? throw new AffectFuseException(path, "array 'meta' is JSON null; expected an object");
        }
        catch (JsonException e)
        {
            throw new AffectFuseException(path, $"array 'meta' is not valid feature metadata JSON: {e.Message}", e);
        }
    }

    private static AffectFuseException WrongType(string path, string name, NpyArray a, string expected)
        => new(path, $"array '{name}' has dtype {a.DTypeName}; expected {expected}");
}
