namespace AffectFuse.Cli;

/// <summary>The <c>--shard i/N</c> argument of extract and infer: the 0-based part i of N that this process takes.</summary>
internal static class ShardArgument
{
    /// <summary>Parses <c>i/N</c> (0 ≤ i &lt; N); anything else is one error line on <c>--shard</c>.</summary>
    public static (int Index, int Count) Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out int i) && int.TryParse(parts[1], out int n) && n >= 1 && i >= 0 && i < n)
            return (i, n);
        throw new AffectFuseException("--shard", $"must be i/N with 0 <= i < N (0-based), got '{text}'");
    }
}
