using System.Text.Json;

namespace AffectFuse.Data;

/// <summary>Reads and writes the per-video <c>.npz</c> feature file (numpy-compatible).</summary>
/// <remarks>Arrays: <c>visual</c> float32 (or float16, kept as such) [T,Dv], <c>visual_mask</c> bool [T], <c>audio</c> float32 [T,Da],
/// <c>audio_mask</c> bool [T], <c>timestamps</c> float64 [T] (seconds) and <c>meta</c>, a 0-d unicode string holding
/// <see cref="FeatureMeta"/> as JSON, so <c>numpy.load(path)</c> reads it without pickling and
/// <c>json.loads(str(z['meta']))</c> gives the provenance.</remarks>
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

    /// <summary>Reads and validates; errors name the file. Features may be float16, float32 or float64; masks bool
    /// (or integer, non-zero = present). A file without <c>meta</c> gets default provenance with the frame rate
    /// estimated from the timestamps.</summary>
    public static VideoFeatures Load(string path)
    {
        var arrays = NpzArchive.Read(path);
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
