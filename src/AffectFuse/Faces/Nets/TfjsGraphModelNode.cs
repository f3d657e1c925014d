using System.Text;
using System.Text.Json;

namespace AffectFuse.Faces.Nets;

/// <summary>One node of a TF.js graph model's <c>modelTopology.node</c> list, with typed access to its attributes.</summary>
/// <param name="Name">Node name (unique in the graph).</param>
/// <param name="Op">TensorFlow op type, e.g. <c>_FusedConv2D</c>.</param>
/// <param name="Inputs">Names of the producing nodes, with <c>:0</c> suffixes and control inputs (<c>^name</c>) removed.</param>
/// <param name="Attr">The raw <c>attr</c> object (an empty object when the node has none).</param>
internal sealed record TfjsGraphModelNode(string Name, string Op, IReadOnlyList<string> Inputs, JsonElement Attr)
{
    /// <summary>A string attribute (<c>{"s": base64}</c>), decoded; null when absent.</summary>
    public string? GetString(string name) =>
        TryGet(name, out var a) && a.TryGetProperty("s", out var s) ? Encoding.UTF8.GetString(s.GetBytesFromBase64()) : null;

    /// <summary>A boolean attribute (<c>{"b": true}</c>); null when absent.</summary>
    public bool? GetBool(string name) =>
        TryGet(name, out var a) && a.TryGetProperty("b", out var b) ? b.GetBoolean() : null;

    /// <summary>An integer-list attribute (<c>{"list": {"i": ["1","2"]}}</c>; TF.js writes int64 as strings); null when absent.</summary>
    public long[]? GetInts(string name)
    {
        if (!TryGet(name, out var a) || !a.TryGetProperty("list", out var list))
            return null;
        if (!list.TryGetProperty("i", out var items))
            return [];
        return items.EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.String ? long.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetInt64())
            .ToArray();
    }

    /// <summary>A string-list attribute (<c>{"list": {"s": [base64, ...]}}</c>), decoded; null when absent.</summary>
    public string[]? GetStrings(string name)
    {
        if (!TryGet(name, out var a) || !a.TryGetProperty("list", out var list))
            return null;
        if (!list.TryGetProperty("s", out var items))
            return [];
        return items.EnumerateArray().Select(e => Encoding.UTF8.GetString(e.GetBytesFromBase64())).ToArray();
    }

    /// <summary>The dimensions of a shape attribute (<c>{"shape": {"dim": [{"size": "-1"}, ...]}}</c>); -1 = any; null when absent.</summary>
    public long[]? GetShape(string name)
    {
        if (!TryGet(name, out var a) || !a.TryGetProperty("shape", out var shape))
            return null;
        if (!shape.TryGetProperty("dim", out var dims))
            return [];
        return dims.EnumerateArray()
            .Select(d => d.TryGetProperty("size", out var s)
                ? (s.ValueKind == JsonValueKind.String ? long.Parse(s.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : s.GetInt64())
                : -1)
            .ToArray();
    }

    private bool TryGet(string name, out JsonElement value)
    {
        value = default;
        return Attr.ValueKind == JsonValueKind.Object && Attr.TryGetProperty(name, out value);
    }
}
