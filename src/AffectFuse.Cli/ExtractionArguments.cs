using System.CommandLine;
using AffectFuse.Faces;
using AffectFuse.Features;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;

namespace AffectFuse.Cli;

/// <summary>The front-end options that every command reading videos shares (extract, predict, demo).</summary>
public sealed class ExtractionArguments
{
    private static readonly ExtractionOptions Defaults = new();
    private readonly Option<FaceSelection> _face = new("--face") { Description = "Face to follow: largest, the left/right person of a two-person video, or all (predict, extract, live: every person, each with an id, their own labels and their share of the voice)", DefaultValueFactory = _ => Defaults.Face };
    private readonly Option<FaceDetectorChoice> _detector = new("--detector") { Description = "BlazeFace model: auto (front while the face is large, else back), region (back finds faces, front looks for each again in a square around it: faster on small faces), back (256 px, smaller faces) or front (128 px, faster)", DefaultValueFactory = _ => Defaults.Detector };
    private readonly Option<int> _detectEvery = new("--detect-every") { Description = "Run the face detector on every N-th frame, tracking between", DefaultValueFactory = _ => Defaults.DetectEvery };
    private readonly Option<int> _faceEvery = new("--face-every") { Description = "Run the face nets on every N-th frame of a run of face frames, holding the last result between", DefaultValueFactory = _ => Defaults.FaceNetEvery };
    private readonly Option<string?> _models = new("--models") { Description = "Models folder (default: $AFFECTFUSE_MODELS, else the checkout's models/, else ~/.cache/affectfuse/models)" };
    private readonly Option<int> _batch = new("--batch-size") { Description = "Face crops per emotion-CNN batch", DefaultValueFactory = _ => Defaults.BackboneBatchSize };
    private readonly Option<bool> _strictFrames = new("--strict-frames") { Description = "Fail a video that decodes to fewer frames than its container declares (corrupt or truncated) instead of warning and keeping what decoded" };
    private readonly Option<int?> _maxSize = new("--max-size") { Description = "Shrink frames whose longer side exceeds this many pixels (faster on HD video)" };

    private readonly Option<string> _visual = new("--visual")
    {
        Description = "Visual feature groups, comma-separated: minixception (FER-2013 mini-Xception, 263), faceapi (face-api expression net, 263), " +
            "landmarks (68-landmark geometry and its change, 24), blendshapes (MediaPipe's 52 blendshape scores, 52), or all",
        DefaultValueFactory = _ => VisualFeatureLayout.ToOption(Defaults.Visual),
    };
    private readonly Option<string> _audio = new("--audio")
    {
        Description = "Audio feature groups, comma-separated: prosody (log-mel, pitch, voicing, energy, spectral shape, VAD; 145), " +
            "embedding (Google's speech_embedding via openWakeWord, 96), or all",
        DefaultValueFactory = _ => AudioFeatureSets.ToOption(Defaults.Audio),
    };
    private readonly bool _featureSets;

    /// <summary>Options of a command that reads videos; <paramref name="featureSets"/> adds the choice of feature groups
    /// (extract and bench pipeline: predict and demo compute the set their model was trained on).</summary>
    public ExtractionArguments(bool featureSets = false) => _featureSets = featureSets;

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _face, _detector, _detectEvery, _faceEvery, _models, _batch, _maxSize, _strictFrames })
            command.Options.Add(option);
        if (!_featureSets)
            return;
        command.Options.Add(_visual);
        command.Options.Add(_audio);
    }

    /// <summary><paramref name="options"/> as this command's arguments, every value spelled out: what a cluster task is
    /// given so that it extracts exactly as the command that submitted it asked.</summary>
    public IReadOnlyList<string> ToArguments(ExtractionOptions options)
    {
        var args = new List<string>
        {
            _face.Name, options.Face.ToString(), _detector.Name, options.Detector.ToString(),
            _detectEvery.Name, options.DetectEvery.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _faceEvery.Name, options.FaceNetEvery.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _batch.Name, options.BackboneBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (options.ModelsRoot is { } models) args.AddRange([_models.Name, Path.GetFullPath(models)]);
        if (options.MaxFrameSize is { } size) args.AddRange([_maxSize.Name, size.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (options.RequireAllFrames) args.Add(_strictFrames.Name);
        if (_featureSets)
            args.AddRange([_visual.Name, VisualFeatureLayout.ToOption(options.Visual), _audio.Name, AudioFeatureSets.ToOption(options.Audio)]);
        return args;
    }

    /// <summary>The options the user gave, checked; a bad value is an <see cref="AffectFuseException"/>.</summary>
    public ExtractionOptions Resolve(ParseResult parse)
    {
        var options = Defaults with
        {
            Face = parse.GetValue(_face),
            Detector = parse.GetValue(_detector),
            DetectEvery = parse.GetValue(_detectEvery),
            FaceNetEvery = parse.GetValue(_faceEvery),
            ModelsRoot = parse.GetValue(_models),
            BackboneBatchSize = parse.GetValue(_batch),
            MaxFrameSize = parse.GetValue(_maxSize),
            RequireAllFrames = parse.GetValue(_strictFrames),
            Visual = _featureSets ? VisualFeatureLayout.ParseOption(parse.GetValue(_visual) ?? "") : Defaults.Visual,
            Audio = _featureSets ? AudioFeatureSets.ParseOption(parse.GetValue(_audio) ?? "") : Defaults.Audio,
        };
        options.Validate();
        return options;
    }
}
