using AffectFuse.IO;
using System.Diagnostics;
using AffectFuse.Model;
using TorchSharp;
using static TorchSharp.torch;
using AffectFuse.Torch;

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

    /// <summary>Fastest matmul repeat (GFLOP/s).</summary>
    public double MatmulBestGflops { get; init; }

    /// <summary>1-minute load average before and after the timed rounds (NaN if unknown).</summary>
    public (double Before, double After) LoadAverage { get; init; } = (double.NaN, double.NaN);

    /// <summary>As <see cref="PerFlopRatio"/> but from each contender's fastest step (least disturbed by other processes).</summary>
    public double BestPerFlopRatio(string phase)
        => Row(true, phase).FramesPerSecondRange.Max * Row(true, phase).GflopPerFrame
           / (Row(false, phase).FramesPerSecondRange.Max * Row(false, phase).GflopPerFrame);

    /// <summary>As <see cref="TrainingMatmulFraction"/> but fastest training step over fastest matmul.</summary>
    public double BestTrainingMatmulFraction
        => Row(true, "training").FramesPerSecondRange.Max * Row(true, "training").GflopPerFrame / MatmulBestGflops;
}

/// <summary>Measures training and inference throughput, achieved GFLOP/s and peak memory of the default model against a stack of
/// TorchSharp's stock Transformer layers of the same width and depth, and this machine's matmul rate through the same libtorch.</summary>
public static class ModelBenchmark
{
    /// <summary>Runs every measurement; <paramref name="progress"/> receives one line per step.</summary>
    public static ModelBenchmarkReport Run(ModelBenchmarkSettings settings, Action<string>? progress = null)
    {
        var options = Resolve(settings);
        long b = settings.Batch, t = settings.Window;
        int branches = options.Modalities == ModalityUse.Both ? 2 : 1;
        bool cross = branches == 2 && options.Fusion == FusionKind.CrossAttentionGated;
        // Same number of Transformer layers over the same number of frames: each branch's self-attention layers plus both
        // directions of every cross-modal layer.
        int stockDepth = branches * options.SelfLayers + (cross ? 2 * options.CrossLayers : 0);

        var (visual, visualMask, audio, audioMask, labels) = Inputs(settings, options);
        var alpha = Enumerable.Repeat(1f, ExpressionClasses.Count).ToArray();

        double frames = b * t;
        using var model = new AffectFuseModel(options);
        var joined = torch.cat([visual, audio], -1);   // the stock stack sees both streams as one sequence of concatenated features
        using var stock = new ModelBenchmarkStockStack(joined.shape[2], options.Width, options.Heads, options.FeedForward, stockDepth, options.Dropout);
        using var focal = new FocalLoss(alpha, 2.0);
        using var modelOptimizer = torch.optim.AdamW(model.parameters(), 1e-4);
        using var stockOptimizer = torch.optim.AdamW(stock.parameters(), 1e-4);
        double oursForward = ModelBenchmarkFlops.Model(options, b, t) / frames / 1e9;
        double stockForward = ModelBenchmarkFlops.StockStack(joined.shape[2], options.Width, options.FeedForward, stockDepth, b, t) / frames / 1e9;
        string stockName = $"stock TransformerEncoderLayer ×{stockDepth}";

        var contenders = new List<Contender>
        {
            new("AffectFuse", "training", 3 * oursForward, () => model.train(),
                () => TrainingStep(model, modelOptimizer, focal, visual, visualMask, audio, audioMask, labels)),
            new("AffectFuse", "inference", oursForward, () => model.eval(), () =>
            {
                using var scope = torch.NewDisposeScope();
                using var _ = torch.no_grad();
                model.ForwardAll(visual, visualMask, audio, audioMask);
            }),
            new(stockName, "training", 3 * stockForward, () => stock.train(), () =>
            {
                using var scope = torch.NewDisposeScope();
                stockOptimizer.zero_grad();
                focal.forward(stock.forward(joined, visualMask).reshape(-1, ExpressionClasses.Count), labels).backward();
                GarbageCollectionHold.Run(() => stockOptimizer.step());
            }),
            new(stockName, "inference", stockForward, () => stock.eval(), () =>
            {
                using var scope = torch.NewDisposeScope();
                using var _ = torch.no_grad();
                stock.forward(joined, visualMask);
            }),
        };

        // Warm-up: first calls allocate, pick kernels and fill the optimiser state; the peak resident set is taken here, where
        // each contender's allocations first happen.
        foreach (var c in contenders)
        {
            progress?.Invoke($"warm-up: {c.Model} {c.Phase}");
            c.Prepare();
            GC.Collect();
            long startRss = ProcessMemory.CurrentBytes();
            bool reset = ProcessMemory.ResetPeak();
            var warm = Stopwatch.StartNew();
            for (int i = 0; i < 3 || (warm.Elapsed.TotalSeconds < 0.5 && i < 20); i++)
                c.Step();
            if (reset && startRss >= 0)
            {
                c.PeakRss = ProcessMemory.PeakBytes();
                c.PeakDelta = c.PeakRss - startRss;
            }
        }
        using (var warmA = torch.randn(MatmulSize, MatmulSize))
            torch.mm(warmA, warmA).Dispose();

        // Interleaved rounds, so every contender and the matmul reference see the same background load on a shared machine.
        // Every step is timed on its own: the median over all steps is the figure, the fastest step shows the uncontended rate.
        // Seconds is the timed budget per contender.
        double slice = settings.Seconds / settings.Repeats;
        var matmulRates = new List<double>();
        double loadBefore = LoadAverage();
        for (int r = 0; r < settings.Repeats; r++)
        {
            progress?.Invoke($"round {r + 1}/{settings.Repeats}");
            // Round-robin one step at a time, so ours and the stock stack alternate within the same ~0.1 s of machine load.
            var clock = Stopwatch.StartNew();
            do
            {
                foreach (var c in contenders)
                {
                    c.Prepare();
                    var step = Stopwatch.StartNew();
                    c.Step();
                    c.Rates.Add(frames / step.Elapsed.TotalSeconds);
                }
                matmulRates.Add(MatmulRate());
            } while (clock.Elapsed.TotalSeconds < slice * contenders.Count);
        }
        double loadAfter = LoadAverage();
        var rows = contenders.Select(c =>
        {
            double median = Median(c.Rates);
            return new ModelBenchmarkRow(c.Model, c.Phase, median, (c.Rates.Min(), c.Rates.Max()), c.GflopPerFrame, median * c.GflopPerFrame,
                c.PeakRss, c.PeakRss >= 0 ? c.PeakDelta : -1);
        }).ToList();
        return new ModelBenchmarkReport(settings, options, stockDepth, torch.get_num_threads(), Median(matmulRates), rows)
        {
            MatmulBestGflops = matmulRates.Max(),
            LoadAverage = (loadBefore, loadAfter),
        };
    }

    /// <summary>Median training frames/s of the model alone (forward, focal loss with the auxiliary heads, backward, AdamW
    /// step) on generated inputs of <paramref name="settings"/>'s shape: the rate <see cref="Run"/> reports for AffectFuse
    /// training, without the other contenders.</summary>
    public static double TrainingFramesPerSecond(ModelBenchmarkSettings settings)
    {
        var options = Resolve(settings);
        using var scope = torch.NewDisposeScope();
        var (visual, visualMask, audio, audioMask, labels) = Inputs(settings, options);
        using var model = new AffectFuseModel(options);
        using var focal = new FocalLoss(Enumerable.Repeat(1f, ExpressionClasses.Count).ToArray(), 2.0);
        using var optimizer = torch.optim.AdamW(model.parameters(), 1e-4);
        model.train();
        for (int i = 0; i < 3; i++)
            TrainingStep(model, optimizer, focal, visual, visualMask, audio, audioMask, labels);
        double frames = (double)settings.Batch * settings.Window;
        var rates = new List<double>();
        var clock = Stopwatch.StartNew();
        do
        {
            var step = Stopwatch.StartNew();
            TrainingStep(model, optimizer, focal, visual, visualMask, audio, audioMask, labels);
            rates.Add(frames / step.Elapsed.TotalSeconds);
        } while (clock.Elapsed.TotalSeconds < settings.Seconds || rates.Count < settings.Repeats);
        return Median(rates);
    }

    private static ModelOptions Resolve(ModelBenchmarkSettings settings)
    {
        if (settings.Window <= 0 || settings.Batch <= 0 || settings.Seconds <= 0 || settings.Repeats <= 0)
            throw new ArgumentException("window, batch, seconds and repeats must be positive");
        return settings.Model with
        {
            VisualDim = settings.Model.VisualDim > 0 ? settings.Model.VisualDim : ModelBenchmarkSettings.DefaultVisualDim,
            AudioDim = settings.Model.AudioDim > 0 ? settings.Model.AudioDim : ModelBenchmarkSettings.DefaultAudioDim,
            MaxLength = Math.Max(settings.Model.MaxLength, settings.Window),
        };
    }

    private static (Tensor Visual, Tensor VisualMask, Tensor Audio, Tensor AudioMask, Tensor Labels) Inputs(ModelBenchmarkSettings settings, ModelOptions options)
    {
        long b = settings.Batch, t = settings.Window;
        torch.manual_seed(settings.Seed);
        var g = new Generator((ulong)settings.Seed);
        var visual = torch.randn([b, t, options.VisualDim], generator: g);
        var audio = torch.randn([b, t, options.AudioDim], generator: g);
        return (visual, GapMask(b, t, 0.15, g), audio, GapMask(b, t, 0.10, g), torch.randint(0, ExpressionClasses.Count, [b * t], generator: g));
    }

    // What one optimiser step of training costs: the same loss terms as the trainer's.
    private static void TrainingStep(AffectFuseModel model, torch.optim.Optimizer optimizer, FocalLoss focal,
        Tensor visual, Tensor visualMask, Tensor audio, Tensor audioMask, Tensor labels)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.zero_grad();
        var o = model.ForwardAll(visual, visualMask, audio, audioMask);
        var loss = focal.forward(o.Fused.reshape(-1, ExpressionClasses.Count), labels);
        var weight = ScalarCache.Of(model.Options.AuxLossWeight);
        if (o.Visual is not null) loss = loss.add(focal.forward(o.Visual.reshape(-1, ExpressionClasses.Count), labels), weight);
        if (o.Audio is not null) loss = loss.add(focal.forward(o.Audio.reshape(-1, ExpressionClasses.Count), labels), weight);
        loss.backward();
        GarbageCollectionHold.Run(() => optimizer.step());
    }

    private sealed record Contender(string Model, string Phase, double GflopPerFrame, Action Prepare, Action Step)
    {
        public List<double> Rates { get; } = [];
        public long PeakRss { get; set; } = -1;
        public long PeakDelta { get; set; } = -1;
    }

    /// <summary>1-minute load average from /proc/loadavg (NaN where unavailable): how busy the machine was while we measured.</summary>
    internal static double LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(x => x).ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
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

    private const long MatmulSize = 2048;

    // One timed 2048×2048 single-precision product: GFLOP/s.
    private static double MatmulRate()
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var a = torch.randn(MatmulSize, MatmulSize);
        var b = torch.randn(MatmulSize, MatmulSize);
        var clock = Stopwatch.StartNew();
        torch.mm(a, b);
        return 2.0 * MatmulSize * MatmulSize * MatmulSize / clock.Elapsed.TotalSeconds / 1e9;
    }

    /// <summary>Single-precision matmul rate of this machine through the same libtorch: median GFLOP/s of 2048×2048 torch.mm.</summary>
    public static double MatmulGflops(int repeats = 5)
    {
        MatmulRate();
        return Median(Enumerable.Range(0, Math.Max(3, repeats)).Select(_ => MatmulRate()).ToList());
    }
}
