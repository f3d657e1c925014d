namespace AffectFuse;

/// <summary>The eight Aff-Wild2 EXPR classes, in the organisers' order.</summary>
public static class ExpressionClasses
{
    /// <summary>Number of classes.</summary>
    public const int Count = 8;

    /// <summary>Label value of a frame that is not annotated; ignored by loss and metrics.</summary>
    public const int Unannotated = -1;

    /// <summary>Class names, index = label.</summary>
    public static readonly IReadOnlyList<string> Names =
        ["Neutral", "Anger", "Disgust", "Fear", "Happiness", "Sadness", "Surprise", "Other"];

    /// <summary>The annotation-file header line.</summary>
    public static string Header => string.Join(",", Names);
}
