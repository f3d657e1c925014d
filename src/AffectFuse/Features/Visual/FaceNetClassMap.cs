using AffectFuse.Faces.Nets.FaceApi;
using AffectFuse.Faces.Nets;

namespace AffectFuse.Features.Visual;

/// <summary>Where each pretrained face net's own class probabilities sit among the visual feature columns, and which of
/// the eight expression classes each one stands for. Both nets were trained on seven classes, none of them Other.
/// Used by the scoring of each net alone (a baseline scored exactly like the model) and by the model's face prior.</summary>
internal sealed record FaceNetClassMap(string Net, IReadOnlyList<string> Columns, IReadOnlyList<int> Classes)
{
    /// <summary>face-api's FaceExpressionNet (neutral, happy, sad, angry, fearful, disgusted, surprised).</summary>
    public static readonly FaceNetClassMap FaceApi = new(
        "faceapi",
        [.. FaceExpressionNet.ClassNames.Select(c => "faceapi_" + c)],
        [0, 4, 5, 1, 3, 2, 6]);

    /// <summary>The FER-2013 mini-Xception (angry, disgust, fear, happy, sad, surprise, neutral).</summary>
    public static readonly FaceNetClassMap MiniXception = new(
        "minixception",
        [.. EmotionBackbone.ClassNames.Select(c => "emotion_" + c)],
        [1, 2, 3, 4, 5, 6, 0]);

    /// <summary>Every net, in the order baselines are reported.</summary>
    public static readonly IReadOnlyList<FaceNetClassMap> All = [FaceApi, MiniXception];

    /// <summary>The column index of each of the net's probabilities within <paramref name="columns"/>, or null when the
    /// features do not hold this net's group.</summary>
    public int[]? IndicesIn(IReadOnlyList<string> columns)
    {
        var index = new int[Columns.Count];
        for (int k = 0; k < index.Length; k++)
        {
            index[k] = IndexOf(columns, Columns[k]);
            if (index[k] < 0)
                return null;
        }
        return index;
    }

    /// <summary>Adds the net's probabilities (read from <paramref name="row"/> at <paramref name="index"/>) into an
    /// eight-class vector; Other gets nothing.</summary>
    public void AddEightClass(ReadOnlySpan<float> row, int[] index, Span<double> eight)
    {
        for (int k = 0; k < index.Length; k++)
            eight[Classes[k]] += row[index[k]];
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (int i = 0; i < columns.Count; i++)
            if (columns[i] == name)
                return i;
        return -1;
    }
}
