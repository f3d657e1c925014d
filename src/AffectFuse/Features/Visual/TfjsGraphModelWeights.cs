using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace AffectFuse.Features.Visual;

/// <summary>Reads the binary weight files a TF.js <c>weightsManifest</c> lists (the format tfjs-converter writes:
/// each group's files are shards of one little-endian buffer holding the group's tensors back to back).</summary>
public static class TfjsGraphModelWeights
{
    /// <summary>Decodes every tensor of <paramref name="manifest"/>; file paths are relative to <paramref name="modelJsonPath"/>'s folder.</summary>
    /// <exception cref="AffectFuseException">A weight file is missing, shorter or longer than the manifest says, or a dtype is unsupported.</exception>
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
        if (spec.TryGetProperty("quantization", out _))
            throw new AffectFuseException(modelJsonPath, $"weight '{name}' is quantised; only float32/int32 weights are supported");
        string dtype = spec.TryGetProperty("dtype", out var d) ? d.GetString() ?? "" : "";
        if (dtype is not ("float32" or "int32"))
            throw new AffectFuseException(modelJsonPath, $"weight '{name}' has dtype '{dtype}'; only float32 and int32 are supported");
        long[] shape = spec.TryGetProperty("shape", out var s) ? s.EnumerateArray().Select(e => e.GetInt64()).ToArray() : [];
        long count = shape.Aggregate(1L, (a, b) => a * b);
        long bytes = count * 4;
        if (shape.Any(x => x < 0) || offset + bytes > buffer.Length)
            throw new AffectFuseException(files, $"too short: weight '{name}' needs bytes {offset}..{offset + bytes} but the files hold {buffer.Length}; truncated download?");
        var span = buffer.AsSpan((int)offset, (int)bytes);
        offset += bytes;
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

    private static JsonElement Property(string modelJsonPath, JsonElement group, string name, int groupIndex)
    {
        if (group.ValueKind != JsonValueKind.Object || !group.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
            throw new AffectFuseException(modelJsonPath, $"weightsManifest group {groupIndex} has no '{name}' list");
        return value;
    }
}
