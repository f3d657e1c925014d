using System.Text.Json;

namespace AffectFuse.Faces.Nets;

/// <summary>A TF.js graph model as stored on disk (<c>model.json</c> + weight files), parsed but not yet built into a module.</summary>
internal sealed class TfjsGraphModelFile
{
    /// <summary>Path of the <c>model.json</c> file.</summary>
    public required string Path { get; init; }

    /// <summary>Graph nodes in file order.</summary>
    public required IReadOnlyList<TfjsGraphModelNode> Nodes { get; init; }

    /// <summary>Decoded weights by name (each feeds the Const node of the same name).</summary>
    public required IReadOnlyDictionary<string, TfjsGraphModelWeight> Weights { get; init; }

    /// <summary>Output node names from the signature (<c>userDefinedMetadata.signature.outputs</c>); empty when the file has none.</summary>
    public required IReadOnlyList<string> SignatureOutputs { get; init; }

    /// <summary>Reads and checks <paramref name="modelJsonPath"/> and the weight files its manifest names.</summary>
    /// <exception cref="AffectFuseException">Missing file, bad JSON, not a graph model, or bad weights; the message names the file.</exception>
    public static TfjsGraphModelFile Load(string modelJsonPath)
    {
        if (!File.Exists(modelJsonPath))
            throw new AffectFuseException(modelJsonPath, "model file not found");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(modelJsonPath));
        }
        catch (JsonException e)
        {
            throw new AffectFuseException(modelJsonPath, $"not valid JSON ({e.Message})", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new AffectFuseException(modelJsonPath, "not a TF.js model (the JSON is not an object)");
            if (root.TryGetProperty("format", out var format) && format.GetString() is { } f && f != "graph-model")
                throw new AffectFuseException(modelJsonPath, $"format is '{f}'; only TF.js graph models ('graph-model') are supported");
            if (!root.TryGetProperty("modelTopology", out var topology) || topology.ValueKind != JsonValueKind.Object
                || !topology.TryGetProperty("node", out var nodeList) || nodeList.ValueKind != JsonValueKind.Array)
                throw new AffectFuseException(modelJsonPath, "no modelTopology.node list; not a TF.js graph model");
            if (!root.TryGetProperty("weightsManifest", out var manifest))
                throw new AffectFuseException(modelJsonPath, "no weightsManifest");

            var nodes = nodeList.EnumerateArray().Select((n, i) => ParseNode(modelJsonPath, n, i)).ToList();
            return new TfjsGraphModelFile
            {
                Path = modelJsonPath,
                Nodes = nodes,
                Weights = TfjsGraphModelWeights.Read(modelJsonPath, manifest),
                SignatureOutputs = ReadSignatureOutputs(root),
            };
        }
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static TfjsGraphModelNode ParseNode(string path, JsonElement node, int index)
    {
        if (node.ValueKind != JsonValueKind.Object
            || !node.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
            || !node.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.String)
            throw new AffectFuseException(path, $"modelTopology.node[{index}] has no name or op");
        var inputs = new List<string>();
        if (node.TryGetProperty("input", out var inputList))
        {
            foreach (var input in inputList.EnumerateArray())
            {
                string s = input.GetString() ?? "";
                if (s.StartsWith('^'))
                    continue; // control dependency: ordering only, no data
                inputs.Add(s.EndsWith(":0", StringComparison.Ordinal) ? s[..^2] : s);
            }
        }
        var attr = node.TryGetProperty("attr", out var a) ? a.Clone() : EmptyObject;
        return new TfjsGraphModelNode(name.GetString()!, op.GetString()!, inputs, attr);
    }

    // tfjs-converter writes the signature at the root; older tools put it under userDefinedMetadata.
    private static IReadOnlyList<string> ReadSignatureOutputs(JsonElement root)
    {
        JsonElement sig = default;
        bool found = root.TryGetProperty("signature", out sig)
            || (root.TryGetProperty("userDefinedMetadata", out var meta) && meta.ValueKind == JsonValueKind.Object
                && meta.TryGetProperty("signature", out sig));
        if (!found || sig.ValueKind != JsonValueKind.Object
            || !sig.TryGetProperty("outputs", out var outputs) || outputs.ValueKind != JsonValueKind.Object)
            return [];
        return outputs.EnumerateObject()
            .Select(o => o.Value.TryGetProperty("name", out var n) ? n.GetString() ?? o.Name : o.Name)
            .Select(n => n.EndsWith(":0", StringComparison.Ordinal) ? n[..^2] : n)
            .ToList();
    }
}
