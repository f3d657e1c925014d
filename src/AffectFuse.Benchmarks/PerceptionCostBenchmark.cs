using AffectFuse.Faces;
using AffectFuse.Features;
using System.Diagnostics;
using AffectFuse.Audio;
using AffectFuse.Features.Visual;
using AffectFuse.Faces.Nets.FaceApi;
using AffectFuse.Faces.Nets.MediaPipe;
using AffectFuse.Model;
using AffectFuse.Setup;
using static TorchSharp.torch;
using AffectFuse.Torch;
using AffectFuse.Faces.Nets;
using Microsoft.ML.OnnxRuntime;

namespace AffectFuse.Benchmarks;

/// <summary>What one perception model costs, alone, on one thread: milliseconds per face crop for the face nets (in
/// batches, as extraction runs them), per second of audio for the audio models, and what that makes per video frame.</summary>
/// <param name="Model">The model.</param>
/// <param name="Unit">"face" or "audio second".</param>
/// <param name="MedianMs">Median milliseconds per unit over the repeats.</param>
/// <param name="FastestMs">Fastest repeat's milliseconds per unit (least disturbed by other processes).</param>
/// <param name="MsPerFrame">Milliseconds per video frame at <see cref="PerceptionCostReport.Fps"/> with a face on every frame.</param>
internal sealed record PerceptionCost(string Model, string Unit, double MedianMs, double FastestMs, double MsPerFrame);

/// <summary>The costs of every perception model, and the machine's load while they were measured.</summary>
internal sealed record PerceptionCostReport(IReadOnlyList<PerceptionCost> Rows, int Batch, int Repeats, double Fps, double LoadBefore, double LoadAfter);

/// <summary>Measures <see cref="PerceptionCost"/> for the mini-Xception and face-api's expression net (each in TorchSharp
/// and in ONNX Runtime, side by side) and landmark nets (full and tiny), MediaPipe's face mesh, iris (both eyes) and blendshape
/// nets, Silero VAD, openWakeWord's speech embedding, and the whole prosody group.</summary>
internal static class PerceptionCostBenchmark
{
    /// <summary>Runs every measurement; <paramref name="log"/> hears which one is running.</summary>
    public static PerceptionCostReport Run(ModelStore store, int batch = 32, int repeats = 7, double fps = 25, Action<string>? log = null)
    {
        if (batch < 1 || repeats < 1 || !(fps > 0))
            throw new AffectFuseException(null, "bench nets: batch and repeats must be at least 1 and fps above 0");
        set_num_threads(1);
        NativeHeap.Configure(); // the heap policy extraction runs under
        double before = ModelBenchmark.LoadAverage();
        var rows = new List<PerceptionCost>();
        foreach (var model in new[] { BlazeFaceModel.Front, BlazeFaceModel.Back })
        {
            string path = model == BlazeFaceModel.Front ? store.BlazeFaceFront : store.BlazeFaceBack;
            using var detector = new BlazeFaceDetector(new BlazeFaceOptions { Model = model, ModelPath = path });
            rows.Add(Detector($"BlazeFace {model.ToString().ToLowerInvariant()} ({detector.InputSize}×{detector.InputSize}), a 640×480 frame",
                detector, batch, repeats, fps, log));
        }
        rows.AddRange(EmotionEngines(store, batch, repeats, fps, log));
        rows.AddRange(ExpressionEngines(store, batch, repeats, fps, [GraphOptimizationLevel.ORT_ENABLE_ALL], log));
        using (var net = FaceLandmarkNet.Open(store))
            rows.Add(Face("face-api 68 landmarks (112×112 RGB)", net, batch, FaceLandmarkNet.InputSize, 3, repeats, fps, log));
        using (var net = FaceLandmarkNet.Open(store, tiny: true))
            rows.Add(Face("face-api 68 landmarks, tiny", net, batch, FaceLandmarkNet.InputSize, 3, repeats, fps, log));
        using (var chain = new FaceBlendshapes())
        {
            // Batch 1 models: the runs of a batch are a loop, as extraction runs them.
            rows.Add(Onnx("MediaPipe face mesh (192×192 RGB)", chain.Nets.Mesh, 1, 1, batch, repeats, fps, log));
            rows.Add(Onnx("MediaPipe iris (64×64 RGB), both eyes", chain.Nets.Iris, 2, 1, batch, repeats, fps, log));
            rows.Add(Onnx("MediaPipe blendshapes (146 points)", chain.Nets.Blendshapes, 1, 200, batch, repeats, fps, log));
            rows.Add(Sum("MediaPipe blendshape group (the three)", rows.TakeLast(3).ToList()));
        }

        float[] pcm = Signal(seconds: 20);
        double audioSeconds = pcm.Length / (double)SileroVad.SampleRate;
        using (var vad = SileroVad.Open(store))
            rows.Add(Audio("Silero VAD", () => vad.SpeechProbabilities(pcm), audioSeconds, repeats, fps, log));
        using (var embedding = SpeechEmbedding.Open(store))
            rows.Add(Audio("speech embedding (mel + embedding)", () => embedding.Embed(pcm), audioSeconds, repeats, fps, log));
        var timestamps = Enumerable.Range(0, (int)(audioSeconds * fps)).Select(i => i / fps).ToArray();
        using (var prosody = AudioFeatureExtractor.Open(store))
            rows.Add(Audio("prosody group (descriptors + VAD, pooled)", () => prosody.Extract(pcm, timestamps), audioSeconds, repeats, fps, log));
        return new PerceptionCostReport(rows, batch, repeats, fps, before, ModelBenchmark.LoadAverage());
    }

    /// <summary>Faces each engine runs per timed repeat of <see cref="ExpressionEngines"/>, whatever the batch: a batch
    /// of 1 timed alone is a few milliseconds, too short to read through a loaded machine's noise.</summary>
    public const int MinFacesPerRepeat = 64;

    /// <summary>face-api's expression net in TorchSharp (row "face-api expression (112×112 RGB)") and in ONNX Runtime at
    /// each of <paramref name="levels"/> (row "face-api expression (ONNX Runtime…)"), on the same seeded crops, one thread
    /// each. Side by side: every repeat runs each engine once, in an order that rotates, so the machine's load changes
    /// fall on all of them alike; a repeat is at least <see cref="MinFacesPerRepeat"/> faces in batches of <paramref name="batch"/>.</summary>
    public static IReadOnlyList<PerceptionCost> ExpressionEngines(ModelStore store, int batch, int repeats, double fps,
        IReadOnlyList<GraphOptimizationLevel> levels, Action<string>? log = null)
    {
        log?.Invoke($"face-api expression, TorchSharp and ONNX Runtime side by side (batch {batch})");
        set_num_threads(1);
        // Without extraction's heap policy libtorch faults its activations in anew every batch (2-3× slower here).
        NativeHeap.Configure();
        int side = FaceExpressionNet.InputSize;
        var crops = SeededCrops(batch * side * side * 3);
        var features = new float[batch * FaceExpressionNet.FeatureSize];
        using var torchNet = FaceExpressionNet.Open(store);
        using var input = tensor(crops, [batch, side, side, 3]);
        var onnx = levels.Select(level => FaceExpressionOnnx.Open(store, level)).ToList();
        try
        {
            var engines = new List<(string Name, Action Run)> { ("face-api expression (112×112 RGB)", () => TorchForward(torchNet, input)) };
            engines.AddRange(onnx.Select(net => (OnnxRowName(net.Optimization), (Action)(() => net.Run(crops, batch, features)))));
            return SideBySide(engines, batch, repeats, fps);
        }
        finally
        {
            foreach (var net in onnx)
                net.Dispose();
        }
    }

    /// <summary>The mini-Xception in TorchSharp (row "mini-Xception (64×64 gray)") and in ONNX Runtime (row
    /// "mini-Xception (ONNX Runtime)"), timed side by side as <see cref="ExpressionEngines"/> times face-api's expression
    /// net: the same seeded gray crops in [0,255], one thread each, alternating repeat by repeat, at least
    /// <see cref="MinFacesPerRepeat"/> faces a repeat in batches of <paramref name="batch"/>.</summary>
    public static IReadOnlyList<PerceptionCost> EmotionEngines(ModelStore store, int batch, int repeats, double fps, Action<string>? log = null)
    {
        log?.Invoke($"mini-Xception, TorchSharp and ONNX Runtime side by side (batch {batch})");
        set_num_threads(1);
        // Without extraction's heap policy libtorch faults its activations in anew every batch.
        NativeHeap.Configure();
        int side = EmotionBackbone.InputSize;
        var crops = SeededCrops(batch * side * side);
        var features = new float[batch * EmotionBackbone.FeatureSize];
        using var torchNet = EmotionBackbone.Open(store);
        using var onnx = EmotionBackboneOnnx.Open(store);
        // [N, 64, 64, 1] as VisualFeatureExtractor feeds it (forward also takes [N, 64, 64]).
        using var input = tensor(crops, [batch, side, side, 1]);
        var engines = new List<(string Name, Action Run)>
        {
            ("mini-Xception (64×64 gray)", () => TorchForward(torchNet, input)),
            ("mini-Xception (ONNX Runtime)", () => onnx.Run(crops, batch, features)),
        };
        return SideBySide(engines, batch, repeats, fps);
    }

    // The same pixels for every engine, and from run to run: floats in [0,255].
    private static float[] SeededCrops(int length)
    {
        var rng = new Random(7);
        var crops = new float[length];
        for (int i = 0; i < crops.Length; i++)
            crops[i] = (float)rng.NextDouble() * 255;
        return crops;
    }

    // Each engine's ms a face, timed alternately (TimeAlternating), at least MinFacesPerRepeat faces a repeat.
    private static IReadOnlyList<PerceptionCost> SideBySide(IReadOnlyList<(string Name, Action Run)> engines, int batch, int repeats, double fps)
    {
        int passes = (MinFacesPerRepeat + batch - 1) / batch;
        var seconds = TimeAlternating([.. engines.Select(e => e.Run)], passes, repeats);
        return [.. engines.Select((e, i) => Row(e.Name, "face", [.. seconds[i].Select(s => 1000 * s / (passes * batch))], ms => ms, fps))];
    }

    private static string OnnxRowName(GraphOptimizationLevel level) =>
        level == GraphOptimizationLevel.ORT_ENABLE_ALL ? "face-api expression (ONNX Runtime)" : $"face-api expression (ONNX Runtime, {level})";

    private static void TorchForward(nn.Module<Tensor, Tensor> net, Tensor input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        net.forward(input);
    }

    // Two untimed warm-up repeats of every engine, then round-robin repeats whose first engine rotates.
    private static double[][] TimeAlternating(IReadOnlyList<Action> engines, int passes, int repeats)
    {
        void Repeat(Action run)
        {
            for (int p = 0; p < passes; p++)
                run();
        }
        foreach (var run in engines)
        {
            Repeat(run);
            Repeat(run);
        }
        var result = engines.Select(_ => new double[repeats]).ToArray();
        for (int r = 0; r < repeats; r++)
            for (int k = 0; k < engines.Count; k++)
            {
                int e = (r + k) % engines.Count;
                var clock = Stopwatch.StartNew();
                Repeat(engines[e]);
                result[e][r] = clock.Elapsed.TotalSeconds;
            }
        return result;
    }

    private static PerceptionCost Face(string name, nn.Module<Tensor, Tensor> net, int batch, int side, int channels, int repeats, double fps, Action<string>? log)
    {
        log?.Invoke(name);
        using var input = rand(new long[] { batch, side, side, channels }, generator: new Generator(7)).mul_(ScalarCache.Of(255.0));
        var times = Time(() =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            net.forward(input);
        }, repeats).Select(s => 1000 * s / batch).ToArray();
        return Row(name, "face", times, ms => ms, fps);
    }

    // Per detection on a 640×480 frame of seeded noise (letterbox, colour conversion, the net, anchors, suppression);
    // the per-frame column counts a detection on every frame (extraction detects on every N-th, more where faces come and go).
    private static PerceptionCost Detector(string name, BlazeFaceDetector detector, int batch, int repeats, double fps, Action<string>? log)
    {
        log?.Invoke(name);
        using var frame = new OpenCvSharp.Mat(480, 640, OpenCvSharp.MatType.CV_8UC3);
        OpenCvSharp.Cv2.Randu(frame, OpenCvSharp.Scalar.All(0), OpenCvSharp.Scalar.All(255));
        var times = Time(() =>
        {
            for (int i = 0; i < batch; i++)
                detector.Detect(frame);
        }, repeats).Select(s => 1000 * s / batch).ToArray();
        return Row(name, "frame", times, ms => ms, fps);
    }

    // Random input in [0, scale): pixels in 0–1 or points in pixels (a CNN's cost does not depend on content).
    private static PerceptionCost Onnx(string name, OnnxNet net, int runsPerFace, float scale, int batch, int repeats, double fps, Action<string>? log)
    {
        log?.Invoke(name);
        var rng = new Random(7);
        var input = net.Input;
        for (int i = 0; i < input.Length; i++)
            input[i] = (float)rng.NextDouble() * scale;
        var times = Time(() =>
        {
            for (int i = 0; i < batch * runsPerFace; i++)
                net.Run();
        }, repeats).Select(s => 1000 * s / batch).ToArray();
        return Row(name, "face", times, ms => ms, fps);
    }

    private static PerceptionCost Sum(string name, IReadOnlyList<PerceptionCost> parts) =>
        new(name, "face", parts.Sum(p => p.MedianMs), parts.Sum(p => p.FastestMs), parts.Sum(p => p.MsPerFrame));

    private static PerceptionCost Audio(string name, Action run, double seconds, int repeats, double fps, Action<string>? log)
    {
        log?.Invoke(name);
        var times = Time(run, repeats).Select(s => 1000 * s / seconds).ToArray();
        return Row(name, "audio second", times, ms => ms / fps, fps);
    }

    private static PerceptionCost Row(string name, string unit, double[] ms, Func<double, double> perFrame, double fps)
    {
        Array.Sort(ms);
        double median = ms[ms.Length / 2];
        return new PerceptionCost(name, unit, median, ms[0], perFrame(median));
    }

    // Two untimed warm-up runs (lazy initialisation, caches), then the timed ones.
    private static double[] Time(Action run, int repeats)
    {
        run();
        run();
        var result = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            run();
            result[r] = clock.Elapsed.TotalSeconds;
        }
        return result;
    }

    // A voiced-like signal: harmonics with a slow pitch glide plus seeded noise (the models' cost does not depend on content).
    private static float[] Signal(double seconds)
    {
        var rng = new Random(3);
        var pcm = new float[(int)(seconds * SileroVad.SampleRate)];
        double phase = 0;
        for (int i = 0; i < pcm.Length; i++)
        {
            double t = i / (double)SileroVad.SampleRate;
            phase += 2 * Math.PI * (140 + 30 * Math.Sin(t)) / SileroVad.SampleRate;
            pcm[i] = (float)(0.2 * Math.Sin(phase) + 0.1 * Math.Sin(2 * phase) + 0.02 * (rng.NextDouble() - 0.5));
        }
        return pcm;
    }
}
