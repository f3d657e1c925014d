using System.Runtime.InteropServices;
using AffectFuse.Audio;
using AffectFuse.Benchmarks.Compose;
using AffectFuse.Data;
using AffectFuse.IO;
using OpenCvSharp;

namespace AffectFuse.Benchmarks.Corpus;

/// <summary>Builds a training corpus in the Aff-Wild2 layout from every real labelled source: a face-only clip per
/// photograph (motion, scale, blur, lighting, compression, partial occlusion; no sound or room noise), a voice-only
/// audio file per utterance of EmoDB and RAVDESS, and audio-visual clips pairing an utterance with a photograph of the
/// same class. Every split holds only its own identities and speakers. Writes <c>videos/&lt;split&gt;/</c>,
/// <c>EXPR_Recognition_Challenge/&lt;Set&gt;/</c> and <c>corpus.json</c>; resumes by keeping finished clips.</summary>
public sealed class CorpusBuilder(string dataDir, string outDir, CorpusOptions options)
{
    /// <summary>Clips written at once (each runs its own ffmpeg).</summary>
    public int Parallelism { get; init; } = 3;

    /// <summary>Loads the data and draws every clip.</summary>
    public CorpusManifest Plan()
    {
        options.Validate();
        if (!Directory.Exists(dataDir))
            throw new AffectFuseException(dataDir, "data folder not found (expected faces/, emodb/ and ravdess_speech/ inside)");
        var faces = FaceCatalogue.Load(Path.Combine(dataDir, "faces"));
        var voices = VoiceCatalogue.Load(dataDir, options);
        return new CorpusManifest { Data = dataDir, Options = options, Clips = CorpusPlanner.Plan(faces, voices, options) };
    }

    /// <summary>Plans, writes corpus.json, then builds every clip not yet complete; reports each clip as it ends.</summary>
    public CorpusManifest Run(IProgress<(int Done, int Total, string Clip)>? progress = null, CancellationToken cancel = default)
    {
        var manifest = Plan();
        string manifestPath = Path.Combine(outDir, CorpusManifest.FileName);
        string json = manifest.ToJson();
        // Resuming is only safe into a folder built with the same plan; otherwise old clips would be mixed in.
        if (File.Exists(manifestPath) && (CorpusManifest.Read(manifestPath) with { Data = manifest.Data }).ToJson() != json)
            throw new AffectFuseException(manifestPath, "this folder was built with other options or data; choose a new --out or delete it");
        Directory.CreateDirectory(outDir);
        AtomicFile.WriteAllText(manifestPath, json);

        string images = Path.Combine(dataDir, "faces", "images");
        int done = 0;
        Parallel.ForEach(manifest.Clips, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancel }, clip =>
        {
            Build(clip, images);
            progress?.Report((Interlocked.Increment(ref done), manifest.Clips.Count, clip.Name));
        });
        return manifest;
    }

    /// <summary>Where a clip's media file goes.</summary>
    public string MediaPath(CorpusClip clip) => Path.Combine(ComposeLayout.VideoDir(outDir, clip.Split), clip.Name + clip.Extension);

    private void Build(CorpusClip clip, string images)
    {
        string media = MediaPath(clip), labels = ComposeLayout.LabelPath(outDir, clip.Split, clip.Name);
        if (File.Exists(media) && File.Exists(labels))
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(media)!);
        string stem = Path.Combine(Path.GetDirectoryName(media)!, $".{clip.Name}.{Environment.ProcessId}.{Guid.NewGuid():N}");
        string tmpMedia = stem + ".tmp" + clip.Extension, tmpSound = stem + ".f32";
        try
        {
            int frames = clip.Kind == CorpusClipKind.Voice && clip.Sound is null ? CopyVoice(clip, tmpMedia) : Encode(clip, images, tmpMedia, tmpSound);
            File.Move(tmpMedia, media, overwrite: true);
            // Labels last: a label file is only ever beside a finished clip.
            ExprLabelFile.Write(labels, Enumerable.Repeat(clip.Class, frames).ToArray());
        }
        finally
        {
            TryDelete(tmpMedia);
            TryDelete(tmpSound);
        }
    }

    /// <summary>A voice left as recorded: the file as it is; returns its frame count.</summary>
    private int CopyVoice(CorpusClip clip, string tmpMedia)
    {
        File.Copy(clip.Voice!, tmpMedia, overwrite: true);
        return (int)Math.Ceiling(MediaSeconds(clip.Voice!) * options.Fps);
    }

    /// <summary>Makes the clip's sound and encodes it, alone or under the rendered picture; returns its frame count.</summary>
    private int Encode(CorpusClip clip, string images, string tmpMedia, string tmpSound)
    {
        float[]? sound = Sound(clip);
        if (sound is not null)
            File.WriteAllBytes(tmpSound, MemoryMarshal.AsBytes(sound.AsSpan()).ToArray());
        int frames = sound is not null && clip.Kind != CorpusClipKind.Face
            ? (int)Math.Ceiling((double)sound.Length * options.Fps / SoundMaker.SampleRate)
            : FramesPerPhoto * clip.Photos.Count;
        if (clip.Kind == CorpusClipKind.Voice)
            AudioFileEncoder.WriteFlac(tmpSound, SoundMaker.SampleRate, tmpMedia);
        else
            RenderVideo(clip, images, frames, sound is null ? null : tmpSound, tmpMedia);
        return frames;
    }

    private static double MediaSeconds(string path)
        => path.EndsWith(".wav", StringComparison.OrdinalIgnoreCase) ? WavFile.ReadInfo(path).Seconds : FlacDuration.Seconds(path);

    private float[]? Sound(CorpusClip clip) => (clip.Voice, clip.Sound) switch
    {
        ({ } voice, { } sound) => SoundMaker.Voice(voice, sound, clip.RenderSeed),
        (null, { } room) => SoundMaker.Room(FramesPerPhoto * clip.Photos.Count * SoundMaker.SampleRate / options.Fps, room, clip.RenderSeed),
        _ => null,
    };

    private int FramesPerPhoto => (int)Math.Round(options.FaceClipSeconds * options.Fps);

    private void RenderVideo(CorpusClip clip, string images, int frames, string? sound, string output)
    {
        var picture = clip.Picture!;
        var compose = new ComposeOptions { Width = options.Width, Height = options.Height, Fps = options.Fps, FaceScale = picture.FaceScale, Crf = picture.Crf, Preset = options.Preset };
        // One photograph per stretch of the clip; an audio-visual clip's one photograph lasts as long as its utterance.
        int per = clip.Kind == CorpusClipKind.Face ? FramesPerPhoto : frames;
        var segments = clip.Photos.Select((photo, i) => new SegmentPlan(clip.Class, i * per, i == clip.Photos.Count - 1 ? frames : (i + 1) * per,
            photo, clip.Identities[i], [])).ToList();
        var plan = new ClipPlan(clip.Name, clip.Split, clip.Speaker ?? "", clip.Identities[0], frames, 0, clip.RenderSeed, segments, []);
        using var encoder = new FfmpegClipEncoder(output, compose, sound, SoundMaker.SampleRate);
        using var renderer = new FrameRenderer(compose, plan, images);
        using var degrader = new PictureDegrader(picture, new Random(clip.RenderSeed));
        using var frame = new Mat(options.Height, options.Width, MatType.CV_8UC3);
        for (int f = 0; f < frames; f++)
        {
            renderer.Render(f, frame);
            degrader.Apply(frame, renderer.FaceRegion(f));
            encoder.Write(frame);
        }
        encoder.Complete();
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
    }
}
