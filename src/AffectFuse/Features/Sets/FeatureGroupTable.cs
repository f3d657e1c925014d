using AffectFuse.Data;

namespace AffectFuse.Features.Sets;

/// <summary>The groups of one modality in row order, and the mapping between a set of them and the names written in a
/// feature file's meta: tokens and versions joined with '+', in row order, so equal sets always have equal names.</summary>
internal sealed class FeatureGroupTable<T>(string modality, string option, IReadOnlyList<FeatureGroup<T>> groups) where T : struct, Enum
{
    private const char Separator = '+';

    public IReadOnlyList<FeatureGroup<T>> Groups => groups;

    public IEnumerable<FeatureGroup<T>> Of(T set) => groups.Where(g => set.HasFlag(g.Flag));

    public int Width(T set) => Of(set).Sum(g => g.Columns.Count);

    /// <summary>True when <paramref name="set"/> names at least one group and nothing but groups.</summary>
    public bool IsSet(T set)
    {
        ulong bits = Convert.ToUInt64(set), known = groups.Aggregate(0UL, (all, g) => all | Convert.ToUInt64(g.Flag));
        return bits != 0 && (bits & ~known) == 0;
    }

    public IReadOnlyList<string> Columns(T set) => Of(set).SelectMany(g => g.Columns).ToArray();

    public string Name(T set) => string.Join(Separator, Of(set).Select(g => g.Token));

    public string Version(T set) => string.Join(Separator, Of(set).Select(g => g.Version));

    /// <summary>The set as a model records it.</summary>
    public FeatureSetId Id(T set) => new(Name(set), Version(set));

    /// <summary>The set a meta name describes, or null when the name is not one of these groups' (features from
    /// another extractor, such as <c>.npy</c> files).</summary>
    public T? Parse(string name)
    {
        ulong bits = 0;
        foreach (string token in name.Split(Separator))
        {
            var group = groups.FirstOrDefault(g => g.Token == token);
            if (group is null)
                return null;
            bits |= Convert.ToUInt64(group.Flag);
        }
        return bits == 0 ? null : (T)Enum.ToObject(typeof(T), bits);
    }

    /// <summary>Parses a command-line list such as <c>minixception,faceapi</c> against the modality's short names.</summary>
    public T ParseOption(string value, IReadOnlyDictionary<string, T> shortNames)
    {
        ulong bits = 0;
        foreach (string raw in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!shortNames.TryGetValue(raw.ToLowerInvariant(), out var flag))
                throw OptionCheck.Fail(option, $"unknown {modality} feature group '{raw}'; choose from {string.Join(", ", shortNames.Keys)}");
            bits |= Convert.ToUInt64(flag);
        }
        if (bits == 0)
            throw OptionCheck.Fail(option, $"name at least one {modality} feature group ({string.Join(", ", shortNames.Keys)})");
        return (T)Enum.ToObject(typeof(T), bits);
    }

    /// <summary>The command-line spelling of <paramref name="set"/> (its groups' short names, comma-separated).</summary>
    public string ToOption(T set, IReadOnlyDictionary<string, T> shortNames) =>
        string.Join(",", Of(set).Select(g => shortNames.First(kv => kv.Value.Equals(g.Flag)).Key));

    /// <summary>The first column of each group of <paramref name="set"/> in a row laid out for it.</summary>
    public int Offset(T set, T group)
    {
        int offset = 0;
        foreach (var g in Of(set))
        {
            if (g.Flag.Equals(group))
                return offset;
            offset += g.Columns.Count;
        }
        throw new ArgumentException($"{group} is not part of {set}");
    }
}
