using System.Diagnostics;
using AffectFuse.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectFuse.Benchmarks;

/// <summary>Settings of <see cref="ModelBenchmark"/>.</summary>
public sealed record ModelBenchmarkSettings
{
    /// <summary>Frames per window.</summary>
    public int Window { get; init; } = 128;

    /// <summary>Windows per batch.</summary>
    public int Batch { get; init; } = 16;

    /// <summary>Timed seconds per measurement (split over <see cref="Repeats"/>), after warm-up.</summary>
    public double Seconds { get; init; } = 6;

    /// <summary>Timed repeats per measurement; the median is reported.</summary>
    public int Repeats { get; init; } = 5;

    /// <summary>Architecture; VisualDim/AudioDim of 0 take <see cref="DefaultVisualDim"/>/<see cref="DefaultAudioDim"/>.</summary>
    public ModelOptions Model { get; init; } = new();

    /// <summary>Visual feature width used when the options leave it unset (expression-CNN probabilities + pooled activation).</summary>
    public const int DefaultVisualDim = 128;

    /// <summary>Audio feature width used when the options leave it unset (log-mel + prosody + VAD).</summary>
    public const int DefaultAudioDim = 64;

    /// <summary>Seed for weights and inputs.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>One measured configuration.</summary>
/// <param name="Model">"AffectFuse" or "stock TransformerEncoderLayer ×N".</param>
/// <param name="Phase">"training" (forward + backward + AdamW step) or "inference" (eval, no grad).</param>
/// <param name="FramesPerSecond">Median over repeats.</param>
/// <param name="FramesPerSecondRange">Slowest and fastest repeat.</param>
/// <param name="GflopPerFrame">Analytic GFLOP per frame for this phase (training = 3 × forward).</param>
/// <param name="AchievedGflops">FramesPerSecond × GflopPerFrame.</param>
/// <param name="PeakRssBytes">Process peak resident set during the phase (-1 if unavailable).</param>
/// <param name="PeakRssDeltaBytes">Peak during the phase minus the resident set at its start.</param>
public sealed record ModelBenchmarkRow(string Model, string Phase, double FramesPerSecond, (double Min, double Max) FramesPerSecondRange,
    double GflopPerFrame, double AchievedGflops, long PeakRssBytes, long PeakRssDeltaBytes);

/// <summary>Everything <c>affectfuse bench model</c> prints.</summary>
public sealed record ModelBenchmarkReport(ModelBenchmarkSettings Settings, ModelOptions Model, int StockDepth, int Threads,
    double MatmulGflops, IReadOnlyList<ModelBenchmarkRow> Rows)
{
    /// <summary>Row lookup.</summary>
    public ModelBenchmarkRow Row(bool ours, string phase) => Rows.Single(r => r.Model.StartsWith("AffectFuse") == ours && r.Phase == phase);

    /// <summary>Our throughput per FLOP divided by the stock stack's, for a phase (≥ 0.8 is the target).</summary>
    public double PerFlopRatio(string phase) => Row(true, phase).AchievedGflops / Row(false, phase).AchievedGflops;

    /// <summary>Our training GFLOP/s as a fraction of the machine's matmul GFLOP/s (≥ 0.35 is the target).</summary>
    public double TrainingMatmulFraction => Row(true, "training").AchievedGflops / MatmulGflops;
}

/// <summary>Measures training and inference throughput, achieved GFLOP/s and peak memory of the default model against a stack of
/// TorchSharp's stock Transformer layers of the same width and depth, and this machine's matmul rate through the same libtorch.</summary>
public static class ModelBenchmark
{
    /// <summary>Runs every measurement; <paramref name="progress"/> receives one line per step.</summary>
    public static ModelBenchmarkReport Run(ModelBenchmarkSettings settings, Action<string>? progress = null)
    {
        if (settings.Window <= 0 || settings.Batch <= 0 || settings.Seconds <= 0 || settings.Repeats <= 0)
            throw new ArgumentException("window, batch, seconds and repeats must be positive");
        var options = settings.Model with
        {
            VisualDim = settings.Model.VisualDim > 0 ? settings.Model.VisualDim : ModelBenchmarkSettings.DefaultVisualDim,
            AudioDim = settings.Model.AudioDim > 0 ? settings.Model.AudioDim : ModelBenchmarkSettings.DefaultAudioDim,
            MaxLength = Math.Max(settings.Model.MaxLength, settings.Window),
        };
        long b = settings.Batch, t = settings.Window;
        int branches = options.Modalities == ModalityUse.Both ? 2 : 1;
        bool cross = branches == 2 && options.Fusion == FusionKind.CrossAttentionGated;
        // Same number of Transformer layers over the same number of frames: each branch's self-attention layers plus both
        // directions of every cross-modal layer.
        int stockDepth = branches * options.SelfLayers + (cross ? 2 * options.CrossLayers : 0);

        torch.manual_seed(settings.Seed);
        var g = new Generator((ulong)settings.Seed);
        var visual = torch.randn([b, t, options.VisualDim], generator: g);
        var audio = torch.randn([b, t, options.AudioDim], generator: g);
        var visualMask = GapMask(b, t, 0.15, g);
        var audioMask = GapMask(b, t, 0.10, g);
        var labels = torch.randint(0, ExpressionClasses.Count, [b * t], generator: g);
        var alpha = Enumerable.Repeat(1f, ExpressionClasses.Count).ToArray();

        var rows = new List<ModelBenchmarkRow>();
        double frames = b * t;

        progress?.Invoke("matmul reference (2048² torch.mm)");
        double matmul = MatmulGflops(settings.Repeats);

        using (var model = new AffectFuseModel(options))
        using (var focal = new FocalLoss(alpha, 2.0))
        {
            double forward = ModelBenchmarkFlops.Model(options, b, t) / frames / 1e9;
            var optimizer = torch.optim.AdamW(model.parameters(), 1e-4);
            progress?.Invoke("AffectFuse training");
            model.train();
            rows.Add(Measure("AffectFuse", "training", 3 * forward, frames, settings, () =>
            {
                using var scope = torch.NewDisposeScope();
                optimizer.zero_grad();
                var o = model.ForwardAll(visual, visualMask, audio, audioMask);
                var loss = focal.forward(o.Fused.reshape(-1, ExpressionClasses.Count), labels);
                if (o.Visual is not null) loss = loss + options.AuxLossWeight * focal.forward(o.Visual.reshape(-1, ExpressionClasses.Count), labels);
                if (o.Audio is not null) loss = loss + options.AuxLossWeight * focal.forward(o.Audio.reshape(-1, ExpressionClasses.Count), labels);
                loss.backward();
                optimizer.step();
            }));
            progress?.Invoke("AffectFuse inference");
            model.eval();
            rows.Add(Measure("AffectFuse", "inference", forward, frames, settings, () =>
            {
                using var scope = torch.NewDisposeScope();
                using var _ = torch.no_grad();
                model.ForwardAll(visual, visualMask, audio, audioMask);
            }));
            optimizer.Dispose();
        }

        // The stock stack sees both streams as one sequence of concatenated features over the same frames.
        var joined = torch.cat([visual, audio], -1);
        string stockName = $"stock TransformerEncoderLayer ×{stockDepth}";
        using (var stock = new ModelBenchmarkStockStack(joined.shape[2], options.Width, options.Heads, options.FeedForward, stockDepth, options.Dropout))
        using (var focal = new FocalLoss(alpha, 2.0))
        {
            double forward = ModelBenchmarkFlops.StockStack(joined.shape[2], options.Width, options.FeedForward, stockDepth, b, t) / frames / 1e9;
            var optimizer = torch.optim.AdamW(stock.parameters(), 1e-4);
            progress?.Invoke("stock stack training");
            stock.train();
            rows.Add(Measure(stockName, "training", 3 * forward, frames, settings, () =>
            {
                using var scope = torch.NewDisposeScope();
                optimizer.zero_grad();
                var logits = stock.forward(joined, visualMask);
                focal.forward(logits.reshape(-1, ExpressionClasses.Count), labels).backward();
                optimizer.step();
            }));
            progress?.Invoke("stock stack inference");
            stock.eval();
            rows.Add(Measure(stockName, "inference", forward, frames, settings, () =>
            {
                using var scope = torch.NewDisposeScope();
                using var _ = torch.no_grad();
                stock.forward(joined, visualMask);
            }));
            optimizer.Dispose();
        }
        return new ModelBenchmarkReport(settings, options, stockDepth, torch.get_num_threads(), matmul, rows);
    }

    // Each window loses one random contiguous span of up to maxFraction of its frames; never a whole window (the stock
    // layer would return NaN there, which is the bug safe attention exists to avoid).
    private static Tensor GapMask(long batch, long window, double maxFraction, Generator g)
    {
        var mask = torch.ones([batch, window], dtype: ScalarType.Bool);
        var draws = torch.rand([batch, 2], dtype: ScalarType.Float64, generator: g).data<double>().ToArray();
        for (long i = 0; i < batch; i++)
        {
            long length = (long)(draws[2 * i] * maxFraction * window);
            long start = (long)(draws[2 * i + 1] * (window - length));
            if (length > 0)
                mask[i, TensorIndex.Slice(start, start + length)] = torch.tensor(false);
        }
        return mask;
    }

    private static ModelBenchmarkRow Measure(string model, string phase, double gflopPerFrame, double framesPerStep,
        ModelBenchmarkSettings settings, Action step)
    {
        GC.Collect();
        long startRss = ModelBenchmarkMemory.CurrentBytes();
        bool peakReset = ModelBenchmarkMemory.ResetPeak();
        // Warm-up: first calls allocate, pick kernels and fill the optimiser state.
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < 3 || (warm.Elapsed.TotalSeconds < 0.5 && i < 20); i++)
            step();
        double perRepeat = settings.Seconds / settings.Repeats;
        var rates = new List<double>();
        for (int r = 0; r < settings.Repeats; r++)
        {
            int steps = 0;
            var clock = Stopwatch.StartNew();
            do { step(); steps++; } while (clock.Elapsed.TotalSeconds < perRepeat);
            rates.Add(steps * framesPerStep / clock.Elapsed.TotalSeconds);
        }
        rates.Sort();
        double median = rates.Count % 2 == 1 ? rates[rates.Count / 2] : (rates[rates.Count / 2 - 1] + rates[rates.Count / 2]) / 2;
        long peak = peakReset ? ModelBenchmarkMemory.PeakBytes() : -1;
        return new ModelBenchmarkRow(model, phase, median, (rates[0], rates[^1]), gflopPerFrame, median * gflopPerFrame,
            peak, peak >= 0 && startRss >= 0 ? peak - startRss : -1);
    }

    /// <summary>Single-precision matmul rate of this machine through the same libtorch: median GFLOP/s of 2048×2048 torch.mm.</summary>
    public static double MatmulGflops(int repeats = 5)
    {
        const long n = 2048;
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var a = torch.randn(n, n);
        var b = torch.randn(n, n);
        torch.mm(a, b).Dispose();
        var rates = new List<double>();
        for (int i = 0; i < Math.Max(3, repeats); i++)
        {
            var clock = Stopwatch.StartNew();
            using (torch.mm(a, b)) { }
            rates.Add(2.0 * n * n * n / clock.Elapsed.TotalSeconds / 1e9);
        }
        rates.Sort();
        return rates[rates.Count / 2];
    }
}
