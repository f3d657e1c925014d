namespace AffectFuse.Features;

/// <summary>Splits work items into shards of about equal total size (a video's frames, a file's bytes), the same way on
/// every machine: what a cluster's tasks, each computing its own shard, must agree on.</summary>
/// <remarks>Longest processing time first: items from the largest down (ties by key, ordinal) each go to the shard with
/// the least total so far (ties to the lowest index). Depends on nothing but the keys and sizes, so every task of an array
/// job, and a re-run over the same inputs, assigns every item to the same shard; the result is within one largest item of
/// the best balance.</remarks>
internal static class ShardPlan
{
    /// <summary>The shard (0-based, of <paramref name="count"/>) of each item, in the items' order.</summary>
    public static int[] Assign<T>(IReadOnlyList<T> items, int count, Func<T, string> key, Func<T, long> size)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), $"need at least one shard, got {count}");
        var order = Enumerable.Range(0, items.Count)
            .OrderByDescending(i => Math.Max(0, size(items[i])))
            .ThenBy(i => key(items[i]), StringComparer.Ordinal)
            .ToArray();
        var totals = new long[count];
        var shard = new int[items.Count];
        foreach (int i in order)
        {
            int least = 0;
            for (int s = 1; s < count; s++)
                if (totals[s] < totals[least])
                    least = s;
            shard[i] = least;
            totals[least] += Math.Max(0, size(items[i]));
        }
        return shard;
    }

    /// <summary>The items of shard <paramref name="index"/> of <paramref name="count"/>, in their original order.</summary>
    public static IReadOnlyList<T> Select<T>(IReadOnlyList<T> items, int index, int count, Func<T, string> key, Func<T, long> size)
    {
        if (index < 0 || index >= count)
            throw new ArgumentOutOfRangeException(nameof(index), $"need 0 <= index ({index}) < count ({count})");
        var shard = Assign(items, count, key, size);
        return items.Where((_, i) => shard[i] == index).ToList();
    }
}
