using AffectFuse.Data;
using AffectFuse.Features;
using AffectFuse.Workflows;

namespace AffectFuse.Cluster;

/// <summary>Which tasks of a cluster run have work left: a task whose shard has an output missing, or that never reported
/// (a first run, or an attempt that died). Shards are the ones the tasks compute themselves (<see cref="ShardPlan"/>), so
/// a re-submission runs exactly the tasks that failed or never ran, and a finished task is not run again.</summary>
internal static class ClusterPlan
{
    /// <summary>The extraction tasks with work left, of <paramref name="tasks"/>.</summary>
    public static IReadOnlyList<int> PendingExtraction(IReadOnlyList<string> inputs, ClusterLayout layout, ExtractionOptions options, int tasks)
    {
        options.Validate();
        var videos = VideoInputs.Discover(inputs);
        if (videos.Count == 0)
            throw new AffectFuseException(string.Join(", ", inputs), "no video or audio files found");
        var shard = ShardPlan.Assign(videos, tasks, v => v.Key, v => FolderExtraction.ContainerFrames(v.Path));
        bool Missing(int i) => !File.Exists(FolderExtraction.OutputPath(layout.OutDir, videos[i].Path, options.Face));
        return Pending(layout, tasks, shard, Missing);
    }

    /// <summary>The inference tasks with work left, of <paramref name="tasks"/>.</summary>
    public static IReadOnlyList<int> PendingInference(DatasetSource source, ClusterLayout layout, int tasks)
    {
        var ids = DatasetLoader.VideoIds(source);
        var shard = ShardPlan.Assign(ids, tasks, id => id, id => DatasetLoader.FeatureBytes(source, id));
        bool Missing(int i) => !File.Exists(Path.Combine(layout.OutDir, ids[i] + ".csv"));
        return Pending(layout, tasks, shard, Missing);
    }

    private static List<int> Pending(ClusterLayout layout, int tasks, int[] shard, Func<int, bool> missing)
    {
        var pending = new bool[tasks];
        for (int i = 0; i < shard.Length; i++)
            if (!pending[shard[i]] && missing(i))
                pending[shard[i]] = true;
        return [.. Enumerable.Range(0, tasks).Where(t => pending[t] || !File.Exists(layout.Report(t)))];
    }
}
