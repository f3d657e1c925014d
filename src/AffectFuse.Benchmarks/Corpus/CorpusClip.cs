using System.Text.Json.Serialization;
using AffectFuse.Benchmarks.Compose;

namespace AffectFuse.Benchmarks.Corpus;

/// <summary>What a training clip shows.</summary>
public enum CorpusClipKind
{
    /// <summary>Photographs of one class in motion, one after another, no speech (no sound track, or room noise).</summary>
    Face,
    /// <summary>One utterance, no picture: an audio file.</summary>
    Voice,
    /// <summary>One utterance over a photograph of the same class from another identity.</summary>
    AudioVisual,
}

/// <summary>How a clip's picture is degraded, drawn once per clip.</summary>
/// <param name="FaceScale">Photo height as a share of the frame height.</param>
/// <param name="BlurSigma">Gaussian blur of the frame, pixels (0 = sharp).</param>
/// <param name="Gamma">Gamma applied to the frame (lighting).</param>
/// <param name="Tint">Per-channel gain (B, G, R), a light's colour.</param>
/// <param name="Occluder">Where part of the face is covered: -1 none, 0 mouth, 1 left cheek, 2 right cheek, 3 eye.</param>
/// <param name="Crf">x264 constant rate factor.</param>
public sealed record PictureDegradation(double FaceScale, double BlurSigma, double Gamma, double[] Tint, int Occluder, int Crf);

/// <summary>How a clip's sound is made: the utterance (if any) at a gain, plus pink noise.</summary>
/// <param name="GainDb">Level change of the utterance.</param>
/// <param name="SnrDb">Speech-to-noise ratio, or null for no noise; for a face clip with sound, the noise's level
/// below the reference speech level.</param>
/// <param name="Speed">Playback speed of the utterance (1: as recorded; 1.1: 10 % faster and higher).</param>
public sealed record SoundDegradation(double GainDb, double? SnrDb, double Speed = 1);

/// <summary>Everything that decides one training clip; rendering it again from the plan gives the same labels.</summary>
/// <param name="Photos">The photographs shown one after another, each for the options' face-clip length (empty for a voice clip).</param>
/// <param name="Identities">Their identities.</param>
public sealed record CorpusClip(string Name, CorpusClipKind Kind, ComposeSplit Split, int Class, IReadOnlyList<string> Photos,
    IReadOnlyList<string> Identities, string? Voice, string? Speaker, PictureDegradation? Picture, SoundDegradation? Sound, int RenderSeed)
{
    /// <summary>The class name, for people reading the manifest.</summary>
    [JsonPropertyOrder(-1)]
    public string ClassName => ExpressionClasses.Names[Class];

    /// <summary>The media file's extension: a voice left as recorded keeps its file's, a degraded voice is FLAC, the
    /// others H.264 video.</summary>
    public string Extension => Kind != CorpusClipKind.Voice ? ".mp4" : Sound is null ? System.IO.Path.GetExtension(Voice!) : ".flac";
}
