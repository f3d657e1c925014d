namespace AffectFuse.Features.Visual;

/// <summary>The visual feature groups <c>extract</c> can compute for each tracked face (<c>--visual</c>); a row holds
/// the chosen groups' columns in this enum's order, whatever order they were asked for in.</summary>
[Flags]
public enum VisualFeatureGroups
{
    /// <summary>No visual group (not a valid choice on its own).</summary>
    None = 0,

    /// <summary>The FER-2013 mini-Xception of <c>@vladmandic/human</c> 3.3.6 on the 64×64 gray crop: 7 probabilities + 256 pooled
    /// channels (263 columns).</summary>
    MiniXception = 1,

    /// <summary>face-api 1.7.15's FaceExpressionNet on the 112×112 colour crop: 7 probabilities + its 256-d bottleneck
    /// (263 columns).</summary>
    FaceApiExpression = 2,

    /// <summary>Geometry of face-api 1.7.15's 68 landmarks: 12 action-unit-like measures and their change since the
    /// previous face frame (24 columns).</summary>
    Landmarks = 4,

    /// <summary>MediaPipe's 52 blendshape scores (face mesh → iris → blendshape model on the tracked face; 52 columns
    /// <c>bs_…</c>).</summary>
    Blendshapes = 8,
}
