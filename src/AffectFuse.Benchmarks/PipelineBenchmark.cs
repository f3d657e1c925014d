using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using AffectFuse.IO;
using System.Diagnostics;
using System.Globalization;
using AffectFuse.Decoding;
using AffectFuse.Faces;
using AffectFuse.Features;
using AffectFuse.Inference;
using AffectFuse.Model;
using AffectFuse.Training;
using AffectFuse.Workflows;

namespace AffectFuse.Benchmarks;

/// <summary>Measures decode-only, extract and extract + model throughput on one file, and peak memory on a short and a
/// long looped copy of it. Each measurement runs in a fresh child process (supplied by the caller, normally the CLI
/// re-running itself) so each peak resident set belongs to that measurement alone: one process would report the
/// largest peak of everything before it.</summary>
internal static class PipelineBenchmark
{
    /// <summary>Runs every measurement through <paramref name="measureInChild"/> (stage, video, model path, the face
    /// selection when not the settings' → result).</summary>
    public static PipelineBenchmarkReport Run(PipelineBenchmarkSettings settings, Func<PipelineStage, string, string, FaceSelection?, PipelineMeasurement> measureInChild,
        Action<string>? log = null)
    {
        double loadBefore = ModelBenchmark.LoadAverage();
        VideoInfo info;
        using (var decoder = VideoDecoder.Open(settings.Video))
            info = decoder.Info;
        string folder = Path.Combine(Path.GetTempPath(), "affectfuse-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        try
        {
            string model = settings.ModelPath ?? RandomModel(Path.Combine(folder, "random.ckpt"), settings.Extraction);
            log?.Invoke("decode only");
            var decode = measureInChild(PipelineStage.Decode, settings.Video, model, null);
            log?.Invoke("extract");
            var extract = measureInChild(PipelineStage.Extract, settings.Video, model, null);
            log?.Invoke("extract + model");
            var whole = measureInChild(PipelineStage.ExtractAndModel, settings.Video, model, null);
            PipelineMeasurement? everyFace = null, twoPersons = null;
            if (settings.People)
            {
                log?.Invoke("extract + model, every face followed");
                everyFace = measureInChild(PipelineStage.ExtractAndModel, settings.Video, model, FaceSelection.All);
                string two = BesideItsMirror(settings.Video, Path.Combine(folder, "two-persons.mp4"));
                log?.Invoke("extract + model, every face followed, on the clip beside its mirror image");
                twoPersons = measureInChild(PipelineStage.ExtractAndModel, two, model, FaceSelection.All);
            }
            PipelineMeasurement? shortRun = null, longRun = null;
            if (!settings.SkipMemoryScaling)
            {
                string shortVideo = Loop(settings.Video, settings.ShortSeconds, Path.Combine(folder, "short" + Path.GetExtension(settings.Video)));
                string longVideo = Loop(settings.Video, settings.LongSeconds, Path.Combine(folder, "long" + Path.GetExtension(settings.Video)));
                log?.Invoke($"extract + model on a {settings.ShortSeconds:0} s loop");
                shortRun = measureInChild(PipelineStage.ExtractAndModel, shortVideo, model, null);
                log?.Invoke($"extract + model on a {settings.LongSeconds:0} s loop");
                longRun = measureInChild(PipelineStage.ExtractAndModel, longVideo, model, null);
            }
            return new PipelineBenchmarkReport(settings, info, decode, extract, whole, shortRun, longRun)
                { EveryFace = everyFace, TwoPersons = twoPersons, LoadAverage = (loadBefore, ModelBenchmark.LoadAverage()) };
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Takes one measurement in this process (the child's side).</summary>
    public static PipelineMeasurement Measure(PipelineStage stage, string video, string? modelPath, ExtractionOptions options)
    {
        switch (stage)
        {
            case PipelineStage.Decode:
            {
                var (cpu0, clock) = (CpuSeconds(), Stopwatch.StartNew());
                using var decoder = VideoDecoder.Open(video, new DecodeOptions { MaxSize = options.MaxFrameSize });
                int frames = 0;
                double first = 0, last = 0;
                foreach (var frame in decoder.ReadFrames())
                {
                    using (frame)
                    {
                        if (frames++ == 0) first = frame.Timestamp;
                        last = frame.Timestamp;
                    }
                }
                double fps = decoder.Info.NominalFps > 0 ? decoder.Info.NominalFps : 25;
                double seconds = frames > 1 ? (last - first) * frames / (frames - 1) : frames / fps;
                return new PipelineMeasurement(stage, video, frames, seconds, clock.Elapsed.TotalSeconds, CpuSeconds() - cpu0, ProcessMemory.PeakBytes(), null);
            }
            case PipelineStage.Extract:
            {
                using var pipeline = new FeatureExtractionPipeline(options);
                var (cpu0, children0, jit0, clock) = (CpuSeconds(), ChildCpuSeconds(), JitSeconds(), Stopwatch.StartNew());
                var features = pipeline.Extract(video);
                double wall = clock.Elapsed.TotalSeconds, cpu = CpuSeconds() - cpu0;
                var s = pipeline.LastStatistics!;
                return new PipelineMeasurement(stage, video, features.FrameCount, s.VideoSeconds, wall, cpu, ProcessMemory.PeakBytes(), s)
                    { Stages = StageCost.From(s.Profile), ChildCpuSeconds = ChildCpuSeconds() - children0, JitSeconds = JitSeconds() - jit0 };
            }
            default:
            {
                if (modelPath is null)
                    throw new ArgumentException("the model stage needs a checkpoint", nameof(modelPath));
                using var recognizer = Recognizer.Load(modelPath, new RecognizerOptions { Extraction = options });
                recognizer.PrepareExtraction(); // model loading is not throughput
                var (cpu0, children0, jit0, clock) = (CpuSeconds(), ChildCpuSeconds(), JitSeconds(), Stopwatch.StartNew());
                var prediction = recognizer.Predict(video);
                double wall = clock.Elapsed.TotalSeconds, cpu = CpuSeconds() - cpu0;
                return new PipelineMeasurement(stage, video, prediction.FrameCount, prediction.DurationSeconds, wall, cpu,
                    ProcessMemory.PeakBytes(), recognizer.LastExtraction)
                {
                    Stages = StageCost.From(recognizer.LastExtraction?.Profile), ChildCpuSeconds = ChildCpuSeconds() - children0,
                    JitSeconds = JitSeconds() - jit0,
                };
            }
        }
    }

    /// <summary>Writes a randomly initialised model of the default architecture that reads the feature set
    /// <paramref name="extraction"/> produces.</summary>
    public static string RandomModel(string path, ExtractionOptions extraction)
    {
        var options = new ModelOptions
        {
            VisualDim = VisualFeatureLayout.Width(extraction.Visual), AudioDim = AudioFeatureSets.Width(extraction.Audio),
            VisualFeatures = VisualFeatureLayout.Id(extraction.Visual),
            AudioFeatures = AudioFeatureSets.Id(extraction.Audio),
        };
        using var model = new AffectFuseModel(options);
        Checkpoint.Save(path, model, new TrainOptions { Model = options }, new CheckpointState(0, 0, 0));
        return path;
    }

    /// <summary>Loops <paramref name="video"/> (stream copy, no re-encoding) to <paramref name="seconds"/> seconds with ffmpeg.</summary>
    public static string Loop(string video, double seconds, string output)
    {
        ExternalTool.Run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-stream_loop", "-1", "-i", video, "-t", seconds.ToString(CultureInfo.InvariantCulture),
            "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy", output], video, $"looping it to {seconds} s");
        return output;
    }

    /// <summary>A two-person clip: <paramref name="video"/> with its mirror image beside it (twice as wide, the same
    /// sound), re-encoded at high quality so the faces are as detectable as in the original.</summary>
    public static string BesideItsMirror(string video, string output)
    {
        ExternalTool.Run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", video, "-filter_complex", "[0:v]split[a][b];[b]hflip[m];[a][m]hstack[v]",
            "-map", "[v]", "-map", "0:a:0?", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-c:a", "copy", output], video, "putting it beside its mirror image");
        return output;
    }

    /// <summary>CPU seconds of this process (user + system, all threads) plus its waited-for children, from /proc/self/stat;
    /// falls back to this process alone elsewhere.</summary>
    public static double CpuSeconds() => StatSeconds(14, 17) ?? Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    /// <summary>Seconds this process has spent compiling .NET methods, every thread.</summary>
    public static double JitSeconds() => System.Runtime.JitInfo.GetCompilationTime(currentThread: false).TotalSeconds;

    /// <summary>CPU seconds of this process's waited-for children (ffprobe, ffmpeg's audio decoding), or 0 where unknown.</summary>
    public static double ChildCpuSeconds() => StatSeconds(16, 17) ?? 0;

    // The sum of /proc/self/stat's clock-tick fields first..last, in seconds; null where that file cannot be read.
    private static double? StatSeconds(int first, int last)
    {
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            // Fields after the parenthesised command name: state is field 3; utime..cstime are fields 14..17.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long ticks = 0;
            for (int f = first; f <= last; f++)
                ticks += long.Parse(fields[f - 3], CultureInfo.InvariantCulture);
            return ticks / 100.0; // USER_HZ is 100 on Linux
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
