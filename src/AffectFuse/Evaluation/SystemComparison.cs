using AffectFuse.Data;
using AffectFuse.Inference;
using AffectFuse.Model;

namespace AffectFuse.Evaluation;

/// <summary>One compared system's frame-level scores.</summary>
internal sealed record SystemScores(ComparedSystem System, ClassificationScores Scores);

/// <summary>The systems scored beside the model at frame level: the model with the face or the voice masked off, and
/// each face net alone. A face net says nothing on a frame without a face; for frame metrics it is taken to say Neutral
/// there (the commonest class, and what a face-only system that sees nothing would fall back to), so every system is
/// scored on the same frames.</summary>
internal static class SystemComparison
{
    /// <summary>The frame scores of each system other than the model itself, in <see cref="ComparedSystem.All"/>'s
    /// order. <paramref name="videos"/> are the model's inputs (its own feature set), <paramref name="faceNets"/> each
    /// video's face-net votes read from its full columns; a net is scored only when every video holds its columns.
    /// <paramref name="progress"/> receives (videos done, total).</summary>
    internal static IReadOnlyList<SystemScores> Frames(AffectFuseModel model, IReadOnlyList<LabelledVideo> videos,
        IReadOnlyList<Dictionary<ComparedSystem, FaceNetVotes>> faceNets, InferenceOptions options, Action<int, int>? progress = null)
    {
        var confusions = new Dictionary<ComparedSystem, int[,]>();
        var seen = new Dictionary<ComparedSystem, int>();
        for (int v = 0; v < videos.Count; v++)
        {
            var labels = SingleBranchLabels(model, videos[v].Features, options);
            foreach (var (system, votes) in faceNets[v])
                labels[system] = votes.Frames;
            foreach (var (system, frames) in labels)
            {
                if (!confusions.TryGetValue(system, out var confusion))
                    confusions[system] = confusion = new int[ExpressionClasses.Count, ExpressionClasses.Count];
                Metrics.AddToConfusion(confusion, videos[v].Labels, NeutralWithoutFace(frames));
                seen[system] = seen.GetValueOrDefault(system) + 1;
            }
            progress?.Invoke(v + 1, videos.Count);
        }
        return [.. ComparedSystem.All.Where(s => seen.GetValueOrDefault(s) == videos.Count)
            .Select(s => new SystemScores(s, Metrics.FromConfusion(confusions[s])))];
    }

    /// <summary>The model's frame labels with the face masked off, and with the voice masked off, voted as
    /// <paramref name="options"/> say.</summary>
    internal static Dictionary<ComparedSystem, int[]> SingleBranchLabels(AffectFuseModel model, VideoFeatures video, InferenceOptions options) => new()
    {
        [ComparedSystem.FaceMasked] = VideoPredictor.Predict(model, Masked(video, face: true), options).Labels,
        [ComparedSystem.VoiceMasked] = VideoPredictor.Predict(model, Masked(video, face: false), options).Labels,
    };

    /// <summary>The video with one stream marked missing on every frame: what the model sees when that stream is gone
    /// (the branch puts its learned missing token there, as modality dropout trained it to), whatever the values.</summary>
    internal static VideoFeatures Masked(VideoFeatures video, bool face) => new()
    {
        VideoId = video.VideoId,
        Visual = video.Visual,
        VisualMask = face ? new bool[video.FrameCount] : video.VisualMask,
        Audio = video.Audio,
        AudioMask = face ? video.AudioMask : new bool[video.FrameCount],
        Timestamps = video.Timestamps,
        Meta = video.Meta,
    };

    private static int[] NeutralWithoutFace(int[] labels)
        => Array.ConvertAll(labels, l => l == FaceNetBaseline.NoFace ? 0 : l);
}
