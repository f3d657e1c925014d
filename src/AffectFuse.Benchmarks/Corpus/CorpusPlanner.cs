using AffectFuse.Benchmarks.Compose;

namespace AffectFuse.Benchmarks.Corpus;

/// <summary>Draws every clip of a training corpus: a face clip per photograph, a voice clip per utterance, and an
/// audio-visual clip for a share of the utterances. Deterministic in the options and the data.</summary>
public static class CorpusPlanner
{
    /// <summary>The clips, face clips first, each kind in source order.</summary>
    public static IReadOnlyList<CorpusClip> Plan(FaceCatalogue faces, IReadOnlyList<VoiceRecording> voices, CorpusOptions options)
    {
        var rng = new Random(options.Seed);
        var clips = new List<CorpusClip>();
        foreach (var group in faces.Photos.GroupBy(p => (p.Split, p.Class)).OrderBy(g => g.Key))
        {
            var shuffled = group.OrderBy(_ => rng.Next()).ToList();
            for (int i = 0; i < shuffled.Count; i += options.PhotosPerClip)
                clips.Add(FaceClip(shuffled.Skip(i).Take(options.PhotosPerClip).ToList(), i / options.PhotosPerClip, options, rng));
        }
        foreach (var voice in voices)
            clips.Add(VoiceClip(voice, options, rng));
        foreach (var voice in voices)
        {
            // Drawn for every utterance, so the share alone decides which ones are paired and the rest stays put.
            bool pair = rng.NextDouble() < options.AudioVisualShare;
            var candidates = faces.Photos.Where(p => p.Split == voice.Split && p.Class == voice.Class).ToList();
            var photo = candidates.Count > 0 ? candidates[rng.Next(candidates.Count)] : null;
            if (pair && photo is not null)
                clips.Add(AudioVisualClip(voice, photo, options, rng));
        }
        return clips;
    }

    private static CorpusClip FaceClip(IReadOnlyList<FacePhoto> photos, int number, CorpusOptions options, Random rng)
    {
        var picture = Picture(options, rng);
        // Room noise 30–60 dB below the level speech would have.
        SoundDegradation? sound = rng.NextDouble() < options.NoSoundShare ? null : new SoundDegradation(0, 30 + 30 * rng.NextDouble());
        var first = photos[0];
        string name = $"face_{ComposeLayout.SplitName(first.Split)}_{ExpressionClasses.Names[first.Class].ToLowerInvariant()}_{number:000}";
        return new CorpusClip(name, CorpusClipKind.Face, first.Split, first.Class, photos.Select(p => p.Image).ToArray(),
            photos.Select(p => p.Identity).ToArray(), null, null, picture, sound, rng.Next());
    }

    private static CorpusClip VoiceClip(VoiceRecording voice, CorpusOptions options, Random rng)
        => new($"voice_{voice.Stem}", CorpusClipKind.Voice, voice.Split, voice.Class, [], [], voice.Path, voice.Speaker, null,
            Sound(options, rng, voice.Split), rng.Next());

    // A voice left as recorded is copied as it is; the rest get a level change and pink noise. Apart from that a share of
    // the training voices play at another speed: an augmentation for training, so validation and test voices stay as their
    // speakers spoke. No speed is drawn when the share is 0, so such a corpus is the one built before.
    private static SoundDegradation? Sound(CorpusOptions o, Random rng, ComposeSplit split)
    {
        var sound = rng.NextDouble() < o.NoisyVoiceShare ? NoisySound(o, rng) : null;
        if (o.SpeedShare <= 0 || split != ComposeSplit.Train || rng.NextDouble() >= o.SpeedShare)
            return sound;
        double speed = Math.Round(1 + o.MaxSpeedChange * (2 * rng.NextDouble() - 1), 4);
        return (sound ?? new SoundDegradation(0, null)) with { Speed = speed };
    }

    private static CorpusClip AudioVisualClip(VoiceRecording voice, FacePhoto photo, CorpusOptions options, Random rng)
        => new($"av_{voice.Stem}_{Path.GetFileNameWithoutExtension(photo.Image)}", CorpusClipKind.AudioVisual, voice.Split, voice.Class,
            [photo.Image], [photo.Identity], voice.Path, voice.Speaker, Picture(options, rng), Sound(options, rng, voice.Split) ?? new SoundDegradation(0, null), rng.Next());

    private static PictureDegradation Picture(CorpusOptions o, Random rng)
    {
        double scale = o.MinFaceScale + (o.MaxFaceScale - o.MinFaceScale) * rng.NextDouble();
        double blur = rng.NextDouble() < o.BlurShare ? o.MaxBlurSigma * (0.3 + 0.7 * rng.NextDouble()) : 0;
        double gamma = Math.Pow(o.MaxGamma, 2 * rng.NextDouble() - 1);
        double[] tint = [0.85 + 0.3 * rng.NextDouble(), 0.9 + 0.2 * rng.NextDouble(), 0.85 + 0.3 * rng.NextDouble()];
        int occluder = rng.NextDouble() < o.OcclusionShare ? rng.Next(4) : -1;
        int crf = rng.Next(o.MinCrf, o.MaxCrf + 1);
        return new PictureDegradation(Math.Round(scale, 4), Math.Round(blur, 3), Math.Round(gamma, 4), tint.Select(t => Math.Round(t, 3)).ToArray(), occluder, crf);
    }

    private static SoundDegradation NoisySound(CorpusOptions o, Random rng)
    {
        double gain = o.MaxGainDb * (2 * rng.NextDouble() - 1);
        double snr = o.MinSnrDb + (o.MaxSnrDb - o.MinSnrDb) * rng.NextDouble();
        return new SoundDegradation(Math.Round(gain, 2), Math.Round(snr, 2));
    }
}
