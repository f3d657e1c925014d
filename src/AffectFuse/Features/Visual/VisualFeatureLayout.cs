using AffectFuse.Faces.Nets.FaceApi;
using AffectFuse.Faces.Nets.MediaPipe;
using AffectFuse.Features.Sets;
using AffectFuse.Faces.Nets;

namespace AffectFuse.Features.Visual;

/// <summary>Column layout, widths and meta names of the visual feature groups (<see cref="VisualFeatureGroups"/>).</summary>
internal static class VisualFeatureLayout
{
    /// <summary>What models without a recorded feature set read (the only group before there were groups).</summary>
    public const VisualFeatureGroups Legacy = VisualFeatureGroups.MiniXception;

    /// <summary>What <c>extract</c> computes when not told otherwise: the shipped model's set, chosen on validation by the
    /// feature ablation (README, "Feature sets").</summary>
    public const VisualFeatureGroups Default = VisualFeatureGroups.MiniXception | VisualFeatureGroups.FaceApiExpression;

    /// <summary>Every group.</summary>
    public const VisualFeatureGroups All =
        VisualFeatureGroups.MiniXception | VisualFeatureGroups.FaceApiExpression | VisualFeatureGroups.Landmarks | VisualFeatureGroups.Blendshapes;

    /// <summary>face-api's expression classes, in its output order.</summary>
    public static IReadOnlyList<string> FaceApiClasses => FaceExpressionNet.ClassNames;

    /// <summary>Columns of the landmark group: the measures of <see cref="LandmarkGeometry"/>, then their changes.</summary>
    public static readonly IReadOnlyList<string> LandmarkColumns =
        [.. LandmarkGeometry.MeasureNames.Select(n => "lm_" + n), .. LandmarkGeometry.MeasureNames.Select(n => "lm_" + n + "_delta")];

    /// <summary>Command-line names of the groups (<c>--visual</c>).</summary>
    public static readonly IReadOnlyDictionary<string, VisualFeatureGroups> ShortNames = new Dictionary<string, VisualFeatureGroups>
    {
        ["minixception"] = VisualFeatureGroups.MiniXception,
        ["faceapi"] = VisualFeatureGroups.FaceApiExpression,
        ["landmarks"] = VisualFeatureGroups.Landmarks,
        ["blendshapes"] = VisualFeatureGroups.Blendshapes,
        ["all"] = All,
    };

    internal static readonly FeatureGroupTable<VisualFeatureGroups> Table = new("visual", "ExtractionOptions.Visual",
    [
        new(VisualFeatureGroups.MiniXception, EmotionBackbone.FeatureName, EmotionBackbone.FeatureVersion, EmotionBackbone.FeatureNames),
        new(VisualFeatureGroups.FaceApiExpression, FaceExpressionNet.FeatureName, FaceExpressionNet.FeatureVersion, FaceExpressionNet.FeatureNames),
        new(VisualFeatureGroups.Landmarks, "faceapi-landmarks68-geometry", "1.7.15.1", LandmarkColumns),
        new(VisualFeatureGroups.Blendshapes, BlendshapeColumns.FeatureName, BlendshapeColumns.FeatureVersion, BlendshapeColumns.Columns),
    ]);

    /// <summary>True when <paramref name="groups"/> is a non-empty set of visual groups.</summary>
    public static bool IsSet(VisualFeatureGroups groups) => Table.IsSet(groups);

    /// <summary>Width Dv of a row of <paramref name="groups"/>.</summary>
    public static int Width(VisualFeatureGroups groups) => Table.Width(groups);

    /// <summary>Column names of a row of <paramref name="groups"/>.</summary>
    public static IReadOnlyList<string> Columns(VisualFeatureGroups groups) => Table.Columns(groups);

    /// <summary>The name recorded in <see cref="Data.FeatureMeta.VisualFeatures"/> (tokens joined with '+').</summary>
    public static string Name(VisualFeatureGroups groups) => Table.Name(groups);

    /// <summary>The versions recorded in <see cref="Data.FeatureMeta.VisualVersion"/>.</summary>
    public static string Version(VisualFeatureGroups groups) => Table.Version(groups);

    /// <summary>The set as a model records it (<see cref="Model.ModelOptions.VisualFeatures"/>).</summary>
    public static Data.FeatureSetId Id(VisualFeatureGroups groups) => Table.Id(groups);

    /// <summary>The groups a meta name stands for; null for features from elsewhere.</summary>
    public static VisualFeatureGroups? Parse(string name) => Table.Parse(name);

    /// <summary>Parses <c>--visual</c>'s comma-separated list.</summary>
    public static VisualFeatureGroups ParseOption(string value) => Table.ParseOption(value, ShortNames);

    /// <summary>The <c>--visual</c> spelling of <paramref name="groups"/>.</summary>
    public static string ToOption(VisualFeatureGroups groups) => Table.ToOption(groups, ShortNames);

    /// <summary>The first column of <paramref name="group"/> in a row of <paramref name="groups"/>.</summary>
    public static int Offset(VisualFeatureGroups groups, VisualFeatureGroups group) => Table.Offset(groups, group);
}
