using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace AffectFuse.Faces.Nets;

/// <summary>Reads the binary weight files a TF.js <c>weightsManifest</c> lists (the format tfjs-converter writes:
/// each group's files are shards of one little-endian buffer holding the group's tensors back to back). Quantised
/// weights (<c>"quantization": {"dtype": "uint8"|"uint16", "scale", "min"}</c> or <c>{"dtype": "float16"}</c>) are
/// dequantised on reading, so callers always see float32/int32.</summary>
internal static class TfjsGraphModelWeights
{
    /// <summary>Decodes every tensor of <paramref name="manifest"/>; file paths are relative to <paramref name="modelJsonPath"/>'s folder.
    /// <paramref name="modelJsonPath"/> may be a model.json (pass its <c>weightsManifest</c>) or a bare weights-manifest
    /// file such as face-api's <c>*-weights_manifest.json</c> (pass its root element, which is the list itself).</summary>
    /// <exception cref="AffectFuseException">A weight file is missing, shorter or longer than the manifest says, or a dtype or quantisation is unsupported.</exception>
    public static IReadOnlyDictionary<string, TfjsGraphModelWeight> Read(string modelJsonPath, JsonElement manifest)
    {
        if (manifest.ValueKind != JsonValueKind.Array)
            throw new AffectFuseException(modelJsonPath, "weightsManifest is not a list");
        string folder = Path.GetDirectoryName(Path.GetFullPath(modelJsonPath))!;
        var result = new Dictionary<string, TfjsGraphModelWeight>(StringComparer.Ordinal);
        int groupIndex = 0;
        foreach (var group in manifest.EnumerateArray())
        {
            var (files, buffer) = ReadGroup(modelJsonPath, folder, group, groupIndex);
            string describe = files.Count == 1 ? files[0] : string.Join(" + ", files);
            long offset = 0;
            foreach (var spec in Property(modelJsonPath, group, "weights", groupIndex).EnumerateArray())
            {
                var weight = Decode(modelJsonPath, describe, spec, buffer, ref offset);
                if (!result.TryAdd(weight.Name, weight))
                    throw new AffectFuseException(modelJsonPath, $"weight '{weight.Name}' is listed twice in weightsManifest");
            }
            if (offset != buffer.Length)
                throw new AffectFuseException(files[^1], $"weight files hold {buffer.Length} bytes but weightsManifest group {groupIndex} describes {offset}; wrong or damaged file");
            groupIndex++;
        }
        return result;
    }

    private static (List<string> Files, byte[] Buffer) ReadGroup(string modelJsonPath, string folder, JsonElement group, int groupIndex)
    {
        var files = new List<string>();
        var parts = new List<byte[]>();
        foreach (var p in Property(modelJsonPath, group, "paths", groupIndex).EnumerateArray())
        {
            string relative = p.GetString() ?? "";
            if (relative.Length == 0 || Path.IsPathRooted(relative) || relative.Split('/', '\\').Contains(".."))
                throw new AffectFuseException(modelJsonPath, $"weightsManifest path '{relative}' must be a file name beside the model");
            string file = Path.Combine(folder, relative);
            if (!File.Exists(file))
                throw new AffectFuseException(file, "weight file missing (listed in the model's weightsManifest)");
            files.Add(file);
            parts.Add(File.ReadAllBytes(file));
        }
        if (files.Count == 0)
            throw new AffectFuseException(modelJsonPath, $"weightsManifest group {groupIndex} lists no files");
        var buffer = new byte[parts.Sum(b => (long)b.Length)];
        long at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(buffer, at);
            at += part.Length;
        }
        return (files, buffer);
    }

    private static TfjsGraphModelWeight Decode(string modelJsonPath, string files, JsonElement spec, byte[] buffer, ref long offset)
    {
        string name = spec.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
        string dtype = spec.TryGetProperty("dtype", out var d) ? d.GetString() ?? "" : "";
        if (dtype is not ("float32" or "int32"))
            throw new AffectFuseException(modelJsonPath, $"weight '{name}' has dtype '{dtype}'; only float32 and int32 are supported");
        var quantization = Quantization.From(modelJsonPath, name, dtype, spec);
        long[] shape = spec.TryGetProperty("shape", out var s) ? s.EnumerateArray().Select(e => e.GetInt64()).ToArray() : [];
        long count = shape.Aggregate(1L, (a, b) => a * b);
        long bytes = count * (quantization?.BytesPerValue ?? 4);
        if (shape.Any(x => x < 0) || offset + bytes > buffer.Length)
            throw new AffectFuseException(files, $"too short: weight '{name}' needs bytes {offset}..{offset + bytes} but the files hold {buffer.Length}; truncated download?");
        var span = buffer.AsSpan((int)offset, (int)bytes);
        offset += bytes;
        if (quantization is not null)
            return quantization.Decode(name, shape, dtype, span);
        if (dtype == "float32")
        {
            var values = MemoryMarshal.Cast<byte, float>(span).ToArray();
            if (!BitConverter.IsLittleEndian)
                for (int i = 0; i < values.Length; i++)
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(span[(4 * i)..]);
            return new TfjsGraphModelWeight(name, shape, values, null);
        }
        var ints = MemoryMarshal.Cast<byte, int>(span).ToArray();
        if (!BitConverter.IsLittleEndian)
            for (int i = 0; i < ints.Length; i++)
                ints[i] = BinaryPrimitives.ReadInt32LittleEndian(span[(4 * i)..]);
        return new TfjsGraphModelWeight(name, shape, null, ints);
    }

    /// <summary>A weight's <c>quantization</c> entry, decoded as tfjs-core's <c>io.decodeWeights</c> does: uint8/uint16
    /// codes become <c>q × scale + min</c> (computed in double, then stored as float32, or rounded half-up to int32 like JavaScript's
    /// <c>Math.round</c>); float16 codes (float32 weights only) are widened.</summary>
    private sealed record Quantization(string Dtype, double Scale, double Min)
    {
        public int BytesPerValue => Dtype == "uint8" ? 1 : 2;

        public static Quantization? From(string modelJsonPath, string name, string dtype, JsonElement spec)
        {
            if (!spec.TryGetProperty("quantization", out var q))
                return null;
            string qtype = q.ValueKind == JsonValueKind.Object && q.TryGetProperty("dtype", out var t) ? t.GetString() ?? "" : "";
            switch (qtype)
            {
                case "uint8" or "uint16":
                    if (!q.TryGetProperty("scale", out var scale) || scale.ValueKind != JsonValueKind.Number
                        || !q.TryGetProperty("min", out var min) || min.ValueKind != JsonValueKind.Number)
                        throw new AffectFuseException(modelJsonPath, $"weight '{name}' is {qtype}-quantised but its quantization has no numeric 'scale' and 'min'");
                    return new Quantization(qtype, scale.GetDouble(), min.GetDouble());
                case "float16":
                    if (dtype != "float32")
                        throw new AffectFuseException(modelJsonPath, $"weight '{name}' is float16-quantised but has dtype '{dtype}'; float16 only encodes float32 weights");
                    return new Quantization(qtype, 1, 0);
                default:
                    throw new AffectFuseException(modelJsonPath, $"weight '{name}' has quantization dtype '{qtype}'; only uint8, uint16 and float16 are supported");
            }
        }

        public TfjsGraphModelWeight Decode(string name, long[] shape, string dtype, ReadOnlySpan<byte> span)
        {
            int count = span.Length / BytesPerValue;
            var codes = new double[count];
            for (int i = 0; i < count; i++)
                codes[i] = Dtype switch
                {
                    "uint8" => span[i],
                    "uint16" => BinaryPrimitives.ReadUInt16LittleEndian(span[(2 * i)..]),
                    _ => (double)BinaryPrimitives.ReadHalfLittleEndian(span[(2 * i)..]),
                };
            if (Dtype == "float16")
                return new TfjsGraphModelWeight(name, shape, codes.Select(c => (float)c).ToArray(), null);
            if (dtype == "float32")
                return new TfjsGraphModelWeight(name, shape, codes.Select(c => (float)(c * Scale + Min)).ToArray(), null);
            return new TfjsGraphModelWeight(name, shape, null, codes.Select(c => (int)Math.Floor(c * Scale + Min + 0.5)).ToArray());
        }
    }

    private static JsonElement Property(string modelJsonPath, JsonElement group, string name, int groupIndex)
    {
        if (group.ValueKind != JsonValueKind.Object || !group.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
            throw new AffectFuseException(modelJsonPath, $"weightsManifest group {groupIndex} has no '{name}' list");
        return value;
    }
}
