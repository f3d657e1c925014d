namespace AffectFuse.Benchmarks.Corpus;

/// <summary>The mixture and degradations of a training corpus built from every real labelled source in the data folder
/// (face photographs, EmoDB, RAVDESS speech). Recorded in <c>corpus.json</c> and, through the features' folder, beside
/// every model trained on it. The defaults make about 150,000 frames of face clips and 3 hours of speech.</summary>
public sealed record CorpusOptions
{
    /// <summary>Seed of every random choice.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Frames per second of every clip (and of voice-only clips' labels).</summary>
    public int Fps { get; init; } = 25;

    /// <summary>Frame width in pixels (even).</summary>
    public int Width { get; init; } = 320;

    /// <summary>Frame height in pixels (even).</summary>
    public int Height { get; init; } = 240;

    /// <summary>How long each photograph is shown, seconds.</summary>
    public double FaceClipSeconds { get; init; } = 2;

    /// <summary>Photographs of one class and split per face-only clip, shown one after another (fewer, longer clips
    /// cost less to write and to extract than one per photograph).</summary>
    public int PhotosPerClip { get; init; } = 5;

    /// <summary>Smallest photo height as a share of the frame height (a face far from the camera).</summary>
    public double MinFaceScale { get; init; } = 0.45;

    /// <summary>Largest photo height as a share of the frame height.</summary>
    public double MaxFaceScale { get; init; } = 1.0;

    /// <summary>Share of face clips blurred (out of focus or moving), with a Gaussian sigma up to <see cref="MaxBlurSigma"/>.</summary>
    public double BlurShare { get; init; } = 0.35;

    /// <summary>Largest blur, in pixels at the frame size.</summary>
    public double MaxBlurSigma { get; init; } = 1.6;

    /// <summary>Largest lighting change: gamma in [1/g, g] and a tint, per clip.</summary>
    public double MaxGamma { get; init; } = 1.6;

    /// <summary>Share of face clips with part of the face covered (a hand or an object over the mouth, a cheek or an
    /// eye), the face still in view.</summary>
    public double OcclusionShare { get; init; } = 0.2;

    /// <summary>Lowest x264 constant rate factor (best quality) drawn per clip.</summary>
    public int MinCrf { get; init; } = 20;

    /// <summary>Highest x264 constant rate factor drawn per clip (web-video compression).</summary>
    public int MaxCrf { get; init; } = 36;

    /// <summary>Share of face-only clips with no sound track at all; the others carry room noise without speech.</summary>
    public double NoSoundShare { get; init; } = 0.5;

    /// <summary>Share of utterances also rendered as an audio-visual clip with a photograph of the same class from
    /// another identity (classes both sources have: Surprise is not in EmoDB, Other not in RAVDESS).</summary>
    public double AudioVisualShare { get; init; } = 0.3;

    /// <summary>Largest change of a degraded voice's level, dB either way.</summary>
    public double MaxGainDb { get; init; } = 10;

    /// <summary>Share of voices degraded (a level change and pink noise); the rest are used as recorded.</summary>
    public double NoisyVoiceShare { get; init; } = 0.5;

    /// <summary>Lowest speech-to-noise ratio of a noisy voice, dB.</summary>
    public double MinSnrDb { get; init; } = 5;

    /// <summary>Highest speech-to-noise ratio of a noisy voice, dB.</summary>
    public double MaxSnrDb { get; init; } = 30;

    /// <summary>Share of training voices played at another speed (Kaldi-style speed perturbation: pitch, formants and tempo
    /// move together, as from another, larger or smaller, speaker), drawn apart from the noise; validation and test voices
    /// are never sped up or slowed. Default 0: the voices keep their speakers' own pitch, as corpora built before this
    /// option did.</summary>
    public double SpeedShare { get; init; }

    /// <summary>Largest speed change of such a voice, as a fraction either way (0.1: 0.9–1.1×, about ±1.7 semitones).</summary>
    public double MaxSpeedChange { get; init; } = 0.1;

    /// <summary>RAVDESS actors of the validation split (the others not in the test split train).</summary>
    public IReadOnlyList<int> RavdessValidationActors { get; init; } = [17, 18, 19, 20];

    /// <summary>RAVDESS actors of the test split.</summary>
    public IReadOnlyList<int> RavdessTestActors { get; init; } = [21, 22, 23, 24];

    /// <summary>EmoDB speakers of the validation split (the others not in the test split train).</summary>
    public IReadOnlyList<string> EmodbValidationSpeakers { get; init; } = ["12", "14"];

    /// <summary>EmoDB speakers of the test split.</summary>
    public IReadOnlyList<string> EmodbTestSpeakers { get; init; } = ["15", "16"];

    /// <summary>x264 preset.</summary>
    public string Preset { get; init; } = "veryfast";

    /// <summary>Throws an <see cref="AffectFuseException"/> naming the first bad setting as <c>bench corpus</c> spells it.</summary>
    public void Validate()
    {
        OptionCheck.Range("--fps", Fps, 1, 120);
        OptionCheck.Range("--width", Width, 64, 4096);
        OptionCheck.Range("--height", Height, 64, 4096);
        if (Width % 2 != 0 || Height % 2 != 0)
            throw new AffectFuseException("--width", $"frame size {Width}x{Height} must be even (4:2:0 video)");
        OptionCheck.Range("--face-seconds", FaceClipSeconds, 0.2, 60);
        OptionCheck.Range("--photos-per-clip", PhotosPerClip, 1, 1000);
        OptionCheck.Range("--min-face-scale", MinFaceScale, 0.1, 2);
        OptionCheck.Range("--max-face-scale", MaxFaceScale, MinFaceScale, 2);
        OptionCheck.Range("--blur-share", BlurShare, 0, 1);
        OptionCheck.Range("--max-blur", MaxBlurSigma, 0, 20);
        OptionCheck.Range("--max-gamma", MaxGamma, 1, 4);
        OptionCheck.Range("--occlusion-share", OcclusionShare, 0, 1);
        OptionCheck.Range("--min-crf", MinCrf, 0, 51);
        OptionCheck.Range("--max-crf", MaxCrf, MinCrf, 51, "not below --min-crf");
        OptionCheck.Range("--no-sound-share", NoSoundShare, 0, 1);
        OptionCheck.Range("--av-share", AudioVisualShare, 0, 1);
        OptionCheck.Range("--max-gain", MaxGainDb, 0, 40);
        OptionCheck.Range("--noisy-voice-share", NoisyVoiceShare, 0, 1);
        OptionCheck.Range("--min-snr", MinSnrDb, -20, 80);
        OptionCheck.Range("--max-snr", MaxSnrDb, MinSnrDb, 80);
        OptionCheck.Range("--speed-share", SpeedShare, 0, 1);
        OptionCheck.Range("--max-speed-change", MaxSpeedChange, 0, 0.3);
        if (string.IsNullOrWhiteSpace(Preset))
            throw new AffectFuseException("--preset", "the x264 preset is empty");
        if (RavdessValidationActors.Intersect(RavdessTestActors).Any())
            throw new AffectFuseException("--ravdess-validation", "a RAVDESS actor is in both the validation and the test split");
        if (EmodbValidationSpeakers.Intersect(EmodbTestSpeakers).Any())
            throw new AffectFuseException("--emodb-validation", "an EmoDB speaker is in both the validation and the test split");
    }
}
