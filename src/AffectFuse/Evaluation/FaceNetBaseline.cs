using AffectFuse.Data;
using AffectFuse.Features.Visual;

namespace AffectFuse.Evaluation;

/// <summary>What one face net said about one video: a label on each frame with a face (<see cref="FaceNetBaseline.NoFace"/>
/// elsewhere), and the label of its probabilities averaged over the face frames (null when there is none).</summary>
internal sealed record FaceNetVotes(int[] Frames, int? Mean);

/// <summary>A pretrained face net alone, scored exactly like the model: its own seven probabilities, read from the visual
/// feature columns, mapped onto the eight classes (Other gets none) and argmaxed.</summary>
internal static class FaceNetBaseline
{
    /// <summary>A frame without a face: the net has nothing to say there.</summary>
    public const int NoFace = -1;

    /// <summary>The votes of every net whose columns <paramref name="video"/>'s visual features hold, keyed by system.
    /// Read from the file's full columns, before the model's own set is cut out of them.</summary>
    public static Dictionary<ComparedSystem, FaceNetVotes> Of(VideoFeatures video)
    {
        var votes = new Dictionary<ComparedSystem, FaceNetVotes>();
        if (VisualColumns(video) is not { } columns)
            return votes;
        foreach (var net in FaceNetClassMap.All)
            if (net.IndicesIn(columns) is { } index)
                votes[ComparedSystem.Alone(net)] = Votes(video, net, index);
        return votes;
    }

    /// <summary>The names of the visual columns, or null when the features are not laid out by AffectFuse's extractor
    /// (other extractors, <c>.npy</c> folders): their columns cannot be told apart.</summary>
    public static IReadOnlyList<string>? VisualColumns(VideoFeatures video)
    {
        if (VisualFeatureLayout.Parse(video.Meta.VisualFeatures) is not { } groups)
            return null;
        var columns = VisualFeatureLayout.Columns(groups);
        return columns.Count == video.VisualDim ? columns : null;
    }

    private static FaceNetVotes Votes(VideoFeatures video, FaceNetClassMap net, int[] index)
    {
        var frames = new int[video.FrameCount];
        var row = new float[video.VisualDim];
        var eight = new double[ExpressionClasses.Count];
        var sum = new double[ExpressionClasses.Count];
        int faces = 0;
        for (int t = 0; t < frames.Length; t++)
        {
            if (!video.VisualMask[t])
            {
                frames[t] = NoFace;
                continue;
            }
            video.Visual.CopyRows(t, 1, row);
            Array.Clear(eight);
            net.AddEightClass(row, index, eight);
            frames[t] = Argmax(eight);
            for (int c = 0; c < eight.Length; c++)
                sum[c] += eight[c];
            faces++;
        }
        return new FaceNetVotes(frames, faces == 0 ? null : Argmax(sum));
    }

    /// <summary>The index of the largest value; ties go to the lowest index, so results do not depend on summation order.</summary>
    public static int Argmax(ReadOnlySpan<double> values)
    {
        int best = 0;
        for (int c = 1; c < values.Length; c++)
            if (values[c] > values[best])
                best = c;
        return best;
    }
}
