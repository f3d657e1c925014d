using System.Diagnostics;
using System.Runtime.InteropServices;
using AffectFuse.Data;
using AffectFuse.IO;
using OpenCvSharp;

namespace AffectFuse.Benchmarks.Compose;

/// <summary>Composes Aff-Wild2-style benchmark videos from real recordings: EmoDB speech and labelled face photographs,
/// each split built only from the matching data splits (faces by identity, speech by speaker). Writes
/// <c>videos/&lt;split&gt;/&lt;clip&gt;.mp4</c>, <c>EXPR_Recognition_Challenge/&lt;Set&gt;/&lt;clip&gt;.txt</c> and
/// <c>compose.json</c>; resumes by keeping clips whose video and labels both exist.</summary>
public sealed class BenchmarkComposer
{
    private readonly string _dataDir;
    private readonly string _outDir;
    private readonly ComposeOptions _options;
    private readonly Action<string>? _warn;

    /// <summary>Path of the ffmpeg executable.</summary>
    public string Ffmpeg { get; init; } = "ffmpeg";

    /// <summary>Prepares a run reading <c>DATA/faces</c> and <c>DATA/emodb</c> and writing under <paramref name="outDir"/>.</summary>
    public BenchmarkComposer(string dataDir, string outDir, ComposeOptions options, Action<string>? warn = null)
    {
        _dataDir = dataDir;
        _outDir = outDir;
        _options = options;
        _warn = warn;
    }

    /// <summary>Loads the data and draws every clip's plan; deterministic in the options (seed included).</summary>
    public ComposeManifest Plan() => Plan(out _, out _);

    private ComposeManifest Plan(out FaceCatalogue faces, out UtteranceCatalogue voices)
    {
        _options.Validate();
        if (!Directory.Exists(_dataDir))
            throw new AffectFuseException(_dataDir, "data folder not found (expected faces/ and emodb/ inside)");
        faces = FaceCatalogue.Load(Path.Combine(_dataDir, "faces"));
        voices = UtteranceCatalogue.Load(Path.Combine(_dataDir, "emodb"));

        var rng = new Random(_options.Seed);
        var clips = new List<ClipPlan>();
        var priors = new Dictionary<ComposeSplit, double[]>();
        foreach (var split in Enum.GetValues<ComposeSplit>())
        {
            int count = _options.ClipsOf(split);
            if (count == 0) continue;
            var planner = new ClipPlanner(_options, split, faces, voices, _warn);
            priors[split] = planner.Prior.Select(p => Math.Round(p, 6)).ToArray();
            // One child generator per split: changing one split's clip count leaves the other splits' clips unchanged.
            clips.AddRange(planner.PlanSplit(count, new Random(rng.Next())));
        }
        return new ComposeManifest { Seed = _options.Seed, Data = _dataDir, Options = _options, ClassPriors = priors, Clips = clips };
    }

    /// <summary>Plans, writes compose.json, then composes every clip not yet complete.</summary>
    public ComposeResult Run(IProgress<ComposeProgress>? progress = null, CancellationToken cancel = default)
    {
        var manifest = Plan(out var faces, out var voices);
        string manifestPath = ComposeLayout.ManifestPath(_outDir);
        string json = manifest.ToJson();
        if (File.Exists(manifestPath))
        {
            // Resuming is only safe into a folder composed with the same plan; otherwise old clips would be mixed in.
            var existing = ComposeManifest.Read(manifestPath) with { Data = manifest.Data };
            if (existing.ToJson() != json)
                throw new AffectFuseException(manifestPath, "this folder was composed with other options or data; choose a new --out or delete it");
        }
        AtomicFile.WriteAllText(manifestPath, json);

        var done = new List<ComposeProgress>();
        foreach (var clip in manifest.Clips)
        {
            cancel.ThrowIfCancellationRequested();
            string video = ComposeLayout.VideoPath(_outDir, clip.Split, clip.Name);
            string labels = ComposeLayout.LabelPath(_outDir, clip.Split, clip.Name);
            ComposeProgress report;
            if (File.Exists(video) && File.Exists(labels))
                report = new ComposeProgress(done.Count + 1, manifest.Clips.Count, clip.Name, true, 0);
            else
            {
                var watch = Stopwatch.StartNew();
                ComposeClip(clip, faces, voices, video, cancel);
                // Labels last: a label file is only ever beside a finished video.
                ExprLabelFile.Write(labels, clip.Labels());
                report = new ComposeProgress(done.Count + 1, manifest.Clips.Count, clip.Name, false, watch.Elapsed.TotalSeconds);
            }
            done.Add(report);
            progress?.Report(report);
        }
        return new ComposeResult(manifest, ComposeSummary.Of(manifest), done);
    }

    private void ComposeClip(ClipPlan clip, FaceCatalogue faces, UtteranceCatalogue voices, string video, CancellationToken cancel)
    {
        string dir = Path.GetDirectoryName(video)!;
        Directory.CreateDirectory(dir);
        string stem = $".{Path.GetFileNameWithoutExtension(video)}.{Environment.ProcessId}.{Guid.NewGuid():N}";
        string tmpVideo = Path.Combine(dir, stem + ".tmp.mp4");
        string tmpAudio = Path.Combine(dir, stem + ".f32");
        try
        {
            var mix = AudioTrackMixer.Mix(clip, _options, voices);
            File.WriteAllBytes(tmpAudio, MemoryMarshal.AsBytes(mix.AsSpan()).ToArray());
            using (var encoder = new FfmpegClipEncoder(tmpVideo, _options, tmpAudio, voices.SampleRate, Ffmpeg))
            using (var renderer = new FrameRenderer(_options, clip, faces.ImagesDir))
            using (var frame = new Mat(_options.Height, _options.Width, MatType.CV_8UC3))
            {
                for (int f = 0; f < clip.Frames; f++)
                {
                    cancel.ThrowIfCancellationRequested();
                    renderer.Render(f, frame);
                    encoder.Write(frame);
                }
                encoder.Complete();
            }
            File.Move(tmpVideo, video, overwrite: true);
        }
        finally
        {
            TryDelete(tmpVideo);
            TryDelete(tmpAudio);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
    }
}
