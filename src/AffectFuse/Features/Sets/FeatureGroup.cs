namespace AffectFuse.Features.Sets;

/// <summary>One group of feature columns: the flag that selects it, the token and version recorded in the
/// <c>.npz</c> meta (so a model can tell which features it was trained on), and its column names.</summary>
internal sealed record FeatureGroup<T>(T Flag, string Token, string Version, IReadOnlyList<string> Columns) where T : struct, Enum;
