using System.CommandLine;
using AffectFuse.IO;
using AffectFuse.Model;
using AffectFuse.Training;

namespace AffectFuse.Cli;

/// <summary>The training options the commands that train share (<c>train</c>, <c>bench train</c>): a <c>--config</c> file
/// and the flags that override it, resolved into one validated <see cref="TrainOptions"/>.</summary>
internal sealed class TrainingArguments
{
    private static readonly TrainOptions Defaults = new();
    private readonly bool _all;

    private readonly Option<FileInfo?> _config = new("--config") { Description = "TrainOptions JSON (e.g. a previous run's best.ckpt.options.json); flags below override it" };
    private readonly Option<int?> _window = new("--window") { Description = $"Window length T in frames, for training and validation (the strides follow it: half the window unless --stride is given) [{Defaults.Window}]" };
    private readonly Option<int?> _stride = new("--stride") { Description = $"Training window stride, at most the window [half the window when --window is given, else the config's, else {Defaults.Stride}]" };
    private readonly Option<bool> _randomPhase = new("--random-phase") { Description = "Shift each video's windows by a random offset every epoch (with --stride equal to --window: every frame once per epoch, the fastest full pass at Aff-Wild2 scale)" };
    private readonly Option<int?> _batch = new("--batch") { Description = $"Windows per batch [{Defaults.BatchSize}]" };
    private readonly Option<int?> _threads = new("--threads") { Description = "Torch threads [library default]" };
    private readonly Option<int?> _epochs = new("--epochs") { Description = $"Maximum epochs [{Defaults.Epochs}]" };
    private readonly Option<double?> _lr = new("--lr") { Description = "Peak AdamW learning rate [1e-3]" };
    private readonly Option<int?> _patience = new("--patience") { Description = $"Early-stopping patience in epochs [{Defaults.Patience}]" };
    private readonly Option<int?> _seed = new("--seed") { Description = $"Random seed [{Defaults.Seed}]" };
    private readonly Option<double?> _gamma = new("--gamma") { Description = $"Focal-loss γ; 0 = cross-entropy [{Defaults.FocalGamma}]" };
    private readonly Option<double?> _labelSmoothing = new("--label-smoothing") { Description = $"Label smoothing ε: the target puts 1 − ε on the labelled class and ε spread over the eight [{Defaults.LabelSmoothing}]" };
    private readonly Option<double?> _mixup = new("--mixup") { Description = $"Mixup α: blend each training window with another of its batch, features and loss λ : 1 − λ, λ ~ Beta(α, α); 0 = off [{Defaults.Mixup}]" };
    private readonly Option<ClassWeighting?> _weighting = new("--class-weighting") { Description = $"Focal-loss α: Uniform or InverseFrequency [{Defaults.ClassWeighting}]" };
    private readonly Option<double?> _pVisual = new("--p-visual") { Description = "Modality dropout: probability of dropping the face stream [0.2]" };
    private readonly Option<double?> _pAudio = new("--p-audio") { Description = "Modality dropout: probability of dropping the audio stream [0.2]" };
    private readonly Option<bool> _noDropout = new("--no-modality-dropout") { Description = "Disable modality dropout" };
    private readonly Option<int?> _width = new("--width") { Description = $"Model width d [{Defaults.Model.Width}]" };
    private readonly Option<int?> _layers = new("--layers") { Description = $"Self-attention layers per branch [{Defaults.Model.SelfLayers}]" };
    private readonly Option<ModalityUse?> _modalities = new("--modalities") { Description = "Both, VisualOnly or AudioOnly [Both]" };
    private readonly Option<FusionKind?> _fusion = new("--fusion") { Description = "CrossAttentionGated or Concat [CrossAttentionGated]" };
    private readonly Option<bool> _facePrior = new("--face-prior") { Description = "Add the face nets' own log-probabilities (face-api, mini-Xception) with learned weights to the logits on face frames: the model learns a residual over them (needs faceapi or minixception in the visual set)" };
    private readonly Option<bool> _calibratedFacePrior = new("--calibrated-face-prior") { Description = "The face prior (implies --face-prior) fitted to the training face frames before training (each net's temperature and the class offsets, by maximum likelihood) and held fixed: only the residual over it is learned" };
    private readonly Option<bool> _audioWindowNorm = new("--audio-window-norm") { Description = "Standardise each audio feature over its window's frames before the audio branch (per-utterance normalisation against speaker, level and channel differences)" };
    private readonly Option<bool> _audioLevelReference = new("--audio-level-reference") { Description = "Refer the audio's log energy and log-mel columns to each window's loudest frame, so recording level and microphone gain do not shift them (relative loudness, pitch and spectral shape stay; needs the prosody group)" };
    private readonly Option<bool> _unsafeAttention = new("--unsafe-attention") { Description = "Plain masked softmax instead of safe attention (ablation; may produce NaN)" };

    /// <summary>The options; <paramref name="all"/> = false keeps those that shape the data pass only (config, window,
    /// stride, random phase, batch, threads), for a benchmark that times one epoch.</summary>
    public TrainingArguments(bool all = true) => _all = all;

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _config, _window, _stride, _randomPhase, _batch, _threads })
            command.Options.Add(o);
        if (!_all)
            return;
        foreach (var o in new Option[] { _epochs, _lr, _patience, _seed, _gamma, _labelSmoothing, _mixup, _weighting, _pVisual, _pAudio, _noDropout, _width, _layers, _modalities, _fusion, _facePrior, _calibratedFacePrior, _audioWindowNorm, _audioLevelReference, _unsafeAttention })
            command.Options.Add(o);
    }

    /// <summary>The <c>--config</c> options with the flags applied, checked (a bad value is one line naming the option, or
    /// the config file it came from). <paramref name="resuming"/>: a resumed run keeps its own epoch count unless
    /// <c>--epochs</c> raises it (the trainer takes the larger).</summary>
    public TrainOptions Resolve(ParseResult parse, bool resuming = false)
    {
        var options = ReadConfig(parse.GetValue(_config));
        int? windowFlag = parse.GetValue(_window);
        int window = windowFlag ?? options.Window;
        // A stride chosen for another window would not fit this one: both strides follow the window unless given.
        int? halfWindow = windowFlag is { } w ? Math.Max(1, w / 2) : null;
        options = options with
        {
            Window = window,
            Stride = parse.GetValue(_stride) ?? halfWindow ?? options.Stride,
            RandomPhase = parse.GetValue(_randomPhase) || options.RandomPhase,
            BatchSize = parse.GetValue(_batch) ?? options.BatchSize,
            Threads = parse.GetValue(_threads) ?? options.Threads,
            Validation = options.Validation with { Window = window, Stride = halfWindow ?? options.Validation.Stride },
        };
        if (_all)
            options = WithModelAndLoss(parse, options, resuming);
        options.Validate();
        return options;
    }

    private TrainOptions WithModelAndLoss(ParseResult parse, TrainOptions options, bool resuming)
    {
        var model = options.Model with
        {
            Width = parse.GetValue(_width) ?? options.Model.Width,
            SelfLayers = parse.GetValue(_layers) ?? options.Model.SelfLayers,
            Modalities = parse.GetValue(_modalities) ?? options.Model.Modalities,
            Fusion = parse.GetValue(_fusion) ?? options.Model.Fusion,
            SafeAttention = !parse.GetValue(_unsafeAttention) && options.Model.SafeAttention,
            FacePrior = parse.GetValue(_facePrior) || parse.GetValue(_calibratedFacePrior) || options.Model.FacePrior,
            AudioWindowNorm = parse.GetValue(_audioWindowNorm) || options.Model.AudioWindowNorm,
            AudioLevelReference = parse.GetValue(_audioLevelReference) || options.Model.AudioLevelReference,
        };
        var dropout = options.ModalityDropout ?? new ModalityDropoutOptions();
        dropout = dropout with
        {
            VisualProbability = parse.GetValue(_pVisual) ?? dropout.VisualProbability,
            AudioProbability = parse.GetValue(_pAudio) ?? dropout.AudioProbability,
        };
        return options with
        {
            Epochs = parse.GetValue(_epochs) ?? (resuming ? 1 : options.Epochs),
            LearningRate = parse.GetValue(_lr) ?? options.LearningRate,
            Patience = parse.GetValue(_patience) ?? options.Patience,
            Seed = parse.GetValue(_seed) ?? options.Seed,
            FocalGamma = parse.GetValue(_gamma) ?? options.FocalGamma,
            LabelSmoothing = parse.GetValue(_labelSmoothing) ?? options.LabelSmoothing,
            Mixup = parse.GetValue(_mixup) ?? options.Mixup,
            CalibratedFacePrior = parse.GetValue(_calibratedFacePrior) || options.CalibratedFacePrior,
            ClassWeighting = parse.GetValue(_weighting) ?? options.ClassWeighting,
            ModalityDropout = parse.GetValue(_noDropout) ? null : dropout,
            Model = model,
        };
    }

    /// <summary>The options in a <c>--config</c> file, checked and naming the file in any error, or the defaults without one.</summary>
    private static TrainOptions ReadConfig(FileInfo? file)
    {
        if (file is null) return new TrainOptions();
        var options = OptionsJson.ReadFile<TrainOptions>(file.FullName, "config");
        try
        {
            options.Validate();
        }
        catch (AffectFuseException e)
        {
            throw new AffectFuseException(file.FullName, OptionFlags.Describe(e), e);
        }
        return options;
    }
}
