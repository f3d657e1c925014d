using AffectFuse.Features.Visual;

namespace AffectFuse.Evaluation;

/// <summary>A system scored beside the model, so that "fused beats each single branch and each face net alone" can be
/// read: the model itself, the model with one stream masked off, or a pretrained face net alone.</summary>
/// <param name="Key">Short name, as JSON fields and CSV columns spell it.</param>
/// <param name="Name">Name shown in tables and reports.</param>
internal sealed record ComparedSystem(string Key, string Name)
{
    /// <summary>The model, face and voice together.</summary>
    public static readonly ComparedSystem Model = new("model", "model (face + voice)");

    /// <summary>The same model with every frame's face marked missing: the voice alone.</summary>
    public static readonly ComparedSystem FaceMasked = new("model_face_masked", "model, face masked (voice only)");

    /// <summary>The same model with every frame's voice marked missing: the face alone.</summary>
    public static readonly ComparedSystem VoiceMasked = new("model_voice_masked", "model, voice masked (face only)");

    /// <summary>face-api's expression net alone: on each face frame, the argmax of its own probabilities.</summary>
    public static readonly ComparedSystem FaceApi = new("faceapi", "face-api alone");

    /// <summary>face-api's probabilities averaged over a clip's face frames, then the argmax (clips only).</summary>
    public static readonly ComparedSystem FaceApiMean = new("faceapi_mean", "face-api, mean over the clip");

    /// <summary>The FER-2013 mini-Xception alone, as <see cref="FaceApi"/>.</summary>
    public static readonly ComparedSystem MiniXception = new("minixception", "mini-Xception alone");

    /// <summary>Every system in the order tables list them.</summary>
    public static readonly IReadOnlyList<ComparedSystem> All = [Model, FaceMasked, VoiceMasked, FaceApi, FaceApiMean, MiniXception];

    internal static ComparedSystem Alone(FaceNetClassMap net) => ReferenceEquals(net, FaceNetClassMap.FaceApi) ? FaceApi : MiniXception;
}
