using OpenCvSharp;

namespace AffectFuse.Reporting;

/// <summary>One colour per expression class, the same in the timeline and on the keyframes (matplotlib's tab10, with
/// Happiness a warm yellow and Other green).</summary>
internal static class ClassColours
{
    /// <summary>"#rrggbb" per class, in <see cref="ExpressionClasses"/> order.</summary>
    public static IReadOnlyList<string> Hex { get; } =
    [
        "#9e9e9e", // Neutral
        "#d62728", // Anger
        "#8c564b", // Disgust
        "#9467bd", // Fear
        "#f2c12e", // Happiness
        "#1f77b4", // Sadness
        "#ff7f0e", // Surprise
        "#2ca02c", // Other
    ];

    /// <summary>Class <paramref name="label"/>'s colour as OpenCV's blue-green-red.</summary>
    public static Scalar Bgr(int label)
    {
        int rgb = Convert.ToInt32(Hex[label][1..], 16);
        return new Scalar(rgb & 0xff, (rgb >> 8) & 0xff, (rgb >> 16) & 0xff);
    }
}
