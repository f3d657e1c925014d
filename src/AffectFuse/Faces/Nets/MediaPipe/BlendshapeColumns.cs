namespace AffectFuse.Faces.Nets.MediaPipe;

/// <summary>The 52 scores of MediaPipe's blendshape model (ARKit-style names, in its output order) and the feature
/// columns they become. Written out here so that the column layout is known without reading a file; at load the
/// shipped <c>blendshape_names.txt</c> must say the same.</summary>
internal static class BlendshapeColumns
{
    /// <summary>Feature-group token recorded in the <c>.npz</c> meta.</summary>
    public const string FeatureName = "mediapipe-blendshapes";

    /// <summary>Version of the extractor: the model files are pinned by hash, so this changes only when the chain does
    /// (the crops, the mesh and iris versions, how the points are made).</summary>
    public const string FeatureVersion = "0.1.0";

    /// <summary>The model's output names, in order (<c>_neutral</c> first).</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "_neutral", "browDownLeft", "browDownRight", "browInnerUp", "browOuterUpLeft", "browOuterUpRight", "cheekPuff",
        "cheekSquintLeft", "cheekSquintRight", "eyeBlinkLeft", "eyeBlinkRight", "eyeLookDownLeft", "eyeLookDownRight", "eyeLookInLeft",
        "eyeLookInRight", "eyeLookOutLeft", "eyeLookOutRight", "eyeLookUpLeft", "eyeLookUpRight", "eyeSquintLeft", "eyeSquintRight",
        "eyeWideLeft", "eyeWideRight", "jawForward", "jawLeft", "jawOpen", "jawRight", "mouthClose",
        "mouthDimpleLeft", "mouthDimpleRight", "mouthFrownLeft", "mouthFrownRight", "mouthFunnel", "mouthLeft", "mouthLowerDownLeft",
        "mouthLowerDownRight", "mouthPressLeft", "mouthPressRight", "mouthPucker", "mouthRight", "mouthRollLower", "mouthRollUpper",
        "mouthShrugLower", "mouthShrugUpper", "mouthSmileLeft", "mouthSmileRight", "mouthStretchLeft", "mouthStretchRight", "mouthUpperUpLeft",
        "mouthUpperUpRight", "noseSneerLeft", "noseSneerRight",
    ];

    /// <summary>Column names: <c>bs_</c> + the name (<c>_neutral</c> becomes <c>bs_neutral</c>).</summary>
    public static readonly IReadOnlyList<string> Columns = Names.Select(n => "bs_" + n.TrimStart('_')).ToArray();

    /// <summary>Number of scores.</summary>
    public static int Count => Names.Count;
}
