using AffectFuse.Data;
using AffectFuse.Features.Visual;
using AffectFuse.Faces.Nets.MediaPipe;

namespace AffectFuse.Inference;

/// <summary>What the face nets themselves saw, frame by frame, so that a user can see why a label was given: face-api's
/// own 7 expression probabilities, the key landmark measures and MediaPipe's 52 blendshape scores, when the visual
/// features hold them.</summary>
/// <param name="Names">Column names (<c>faceapi_happy</c>, <c>lm_mouth_open</c>, <c>bs_mouthSmileLeft</c>, …).</param>
/// <param name="Values">Row-major <c>[T, Names.Count]</c>; NaN on frames without a face.</param>
public sealed record FaceCues(IReadOnlyList<string> Names, float[] Values)
{
    /// <summary>The landmark measures shown (the rest of the group is their frame-to-frame change, which says little alone).</summary>
    public static readonly IReadOnlyList<string> LandmarkMeasures = ["lm_mouth_open", "lm_mouth_width", "lm_lip_corner_lift", "lm_brow_raise_right", "lm_brow_raise_left", "lm_brow_knit", "lm_eye_open_right", "lm_eye_open_left"];

    /// <summary>The cues held in <paramref name="video"/>'s visual features (all 52 blendshapes), or null when it holds
    /// none (other extractors, or the mini-Xception alone).</summary>
    internal static FaceCues? From(VideoFeatures video)
    {
        if (VisualFeatureLayout.Parse(video.Meta.VisualFeatures) is not { } groups)
            return null;
        var columns = VisualFeatureLayout.Columns(groups).ToList();
        if (columns.Count != video.VisualDim)
            return null;
        var wanted = new List<string>();
        if (groups.HasFlag(VisualFeatureGroups.FaceApiExpression))
            wanted.AddRange(VisualFeatureLayout.FaceApiClasses.Select(c => "faceapi_" + c));
        if (groups.HasFlag(VisualFeatureGroups.Landmarks))
            wanted.AddRange(LandmarkMeasures);
        if (groups.HasFlag(VisualFeatureGroups.Blendshapes))
            wanted.AddRange(BlendshapeColumns.Columns);
        if (wanted.Count == 0)
            return null;
        int[] index = wanted.Select(n => columns.IndexOf(n)).ToArray();
        var values = new float[(long)video.FrameCount * index.Length];
        for (int t = 0; t < video.FrameCount; t++)
            for (int k = 0; k < index.Length; k++)
                values[(long)t * index.Length + k] = video.VisualMask[t] ? video.Visual[t, index[k]] : float.NaN;
        return new FaceCues(wanted, values);
    }
}
