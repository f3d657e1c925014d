using System.Diagnostics;
using AffectFuse.Data;
using AffectFuse.Evaluation;
using AffectFuse.Inference;
using AffectFuse.Model;
using AffectFuse.Reporting;
using TorchSharp;
using static TorchSharp.torch;
using AffectFuse.Torch;

namespace AffectFuse.Training;

/// <summary>Outcome of a training run.</summary>
public sealed record TrainingResult(string BestCheckpoint, int BestEpoch, double BestValidationMacroF1, int EpochsRun, bool StoppedEarly, IReadOnlyList<EpochRecord> History)
{
    /// <summary>Optimiser steps taken by this call (a resumed run counts only its own).</summary>
    public long Batches { get; init; }

    /// <summary>How the last epoch this call ran spent its time (null when it ran none).</summary>
    public EpochTiming? LastEpoch { get; init; }

    /// <summary>Of <see cref="Batches"/>, those whose loss was NaN or infinite (e.g. plain masked softmax over a window
    /// with a stream entirely missing). Their loss is left out of the epoch mean.</summary>
    public long NonFiniteBatches { get; init; }
}

/// <summary>Trains the dual-branch model on windows of labelled videos, validating with soft voting every epoch.</summary>
/// <remarks>Writes into its output folder: <c>best.ckpt</c> (best validation macro-F1), <c>last.ckpt</c> + <c>last.optim</c>
/// (for <c>--resume</c>), each with its <c>.options.json</c>, <c>training_log.csv</c> and <c>curves.png</c>.</remarks>
public sealed class Trainer
{
    /// <summary>File name of the best checkpoint inside the output folder.</summary>
    public const string BestCheckpointName = "best.ckpt";

    /// <summary>File name of the latest checkpoint (for resuming).</summary>
    public const string LastCheckpointName = "last.ckpt";

    private readonly string _outDir;
    private readonly Action<string>? _log;

    /// <summary>Creates a trainer writing into <paramref name="outDir"/>; <paramref name="log"/> receives notable events.</summary>
    public Trainer(string outDir, Action<string>? log = null)
    {
        _outDir = outDir;
        _log = log;
    }

    /// <summary>Trains from scratch with <paramref name="options"/>, or continues the run saved at <paramref name="resumeFrom"/>
    /// (its options win; only <see cref="TrainOptions.Epochs"/> may be raised).</summary>
    public TrainingResult Train(IReadOnlyList<LabelledVideo> train, IReadOnlyList<LabelledVideo> validation, TrainOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default, string? resumeFrom = null)
    {
        if (train.Count == 0) throw new AffectFuseException(null, "no training videos");
        if (validation.Count == 0) throw new AffectFuseException(null, "no validation videos");
        options.Validate();
        Directory.CreateDirectory(_outDir);
        if (options.Threads > 0) set_num_threads(options.Threads);

        LoadedCheckpoint? resumed = resumeFrom is null ? null : Checkpoint.Load(resumeFrom);
        if (resumed is not null)
            options = resumed.Options with { Epochs = Math.Max(options.Epochs, resumed.Options.Epochs) };
        var first = train[0].Features;
        options = options with
        {
            Model = options.Model with
            {
                VisualDim = first.VisualDim, AudioDim = first.AudioDim,
                VisualFeatures = resumed?.Model.Options.VisualFeatures ?? first.Meta.VisualSet,
                AudioFeatures = resumed?.Model.Options.AudioFeatures ?? first.Meta.AudioSet,
            },
        };
        RequireSameFeatures(train.Concat(validation), options.Model);

        manual_seed(options.Seed);
        using var model = resumed?.Model ?? new AffectFuseModel(options.Model);
        var dropoutGenerator = new Generator((ulong)options.Seed);
        using var dropout = new ModalityDropout(options.ModalityDropout ?? new ModalityDropoutOptions { VisualProbability = 0, AudioProbability = 0, OcclusionProbability = 0 },
            dropoutGenerator);
        float[] alpha = ClassWeightsFor(train, options);
        using var loss = new FocalLoss(alpha, options.FocalGamma);
        using var optimizer = optim.AdamW(model.parameters(), options.LearningRate, 0.9, 0.999, 1e-8, options.WeightDecay, false, false);

        // A random phase adds at most one window per video to the phase-free plan; the schedule takes that bound so that
        // it never runs past its end.
        int windowsPerEpoch = TrainingWindow.Plan(train, options.Window, options.Stride).Count + (options.RandomPhase ? train.Count : 0);
        int batches = (windowsPerEpoch + options.BatchSize - 1) / options.BatchSize;
        long totalSteps = (long)batches * options.Epochs;
        var schedule = new LearningRateSchedule(options.LearningRate, (int)Math.Min(options.WarmupSteps, totalSteps / 10), totalSteps);

        string logPath = Path.Combine(_outDir, "training_log.csv");
        var history = new List<EpochRecord>();
        int startEpoch = 1;
        long step = 0;
        double best = double.NegativeInfinity;
        int bestEpoch = 0;
        if (resumed is not null)
        {
            string optimPath = OptimizerStatePath(resumeFrom!);
            if (File.Exists(optimPath)) optimizer.load_state_dict(optimPath);
            else _log?.Invoke($"{optimPath} not found: resuming with a fresh optimiser state");
            startEpoch = resumed.State.Epoch + 1;
            step = resumed.State.Step;
            if (File.Exists(logPath)) history.AddRange(TrainingLog.Read(logPath).Where(r => r.Epoch <= resumed.State.Epoch));
            var bestRecord = history.MaxBy(r => r.ValidationMacroF1);
            if (bestRecord is not null) (best, bestEpoch) = (bestRecord.ValidationMacroF1, bestRecord.Epoch);
            _log?.Invoke($"resuming after epoch {resumed.State.Epoch} (step {step}, best macro-F1 {best:F4} at epoch {bestEpoch})");
        }

        bool stoppedEarly = false;
        long batchesRun = 0, nonFiniteBatches = 0;
        EpochTiming? lastTiming = null;
        for (int epoch = startEpoch; epoch <= options.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var order = EpochOrder(train, options, epoch, dropoutGenerator);
            var pass = new EpochPass(epoch, options.Epochs, history.Count > 0 ? history[^1].ValidationMacroF1 : null, Math.Max(best, 0));
            var run = RunEpoch(model, dropout, loss, optimizer, schedule, train, order, options, pass, ref step, progress, cancel);
            batchesRun += run.Batches;
            nonFiniteBatches += run.NonFinite;
            if (run.NonFinite > 0)
                _log?.Invoke($"epoch {epoch}: {run.NonFinite} of {run.Batches} batches had a non-finite loss");
            double trainSeconds = clock.Elapsed.TotalSeconds;

            cancel.ThrowIfCancellationRequested();
            progress?.Report(pass.At(run.Batches, run.Batches, run.MeanLoss, "validate"));
            var scores = DatasetEvaluation.Score(model, validation, options.Validation).Overall;
            var record = new EpochRecord(epoch, run.MeanLoss, null, scores.MacroF1, scores.Accuracy,
                schedule.At(Math.Max(step - 1, 0)), clock.Elapsed.TotalSeconds);
            lastTiming = new EpochTiming(order.Sum(w => (long)w.Length), trainSeconds, clock.Elapsed.TotalSeconds - trainSeconds);
            history.Add(record);

            var state = new CheckpointState(epoch, scores.MacroF1, step);
            if (scores.MacroF1 > best)
            {
                (best, bestEpoch) = (scores.MacroF1, epoch);
                Checkpoint.Save(Path.Combine(_outDir, BestCheckpointName), model, options, state);
            }
            string last = Path.Combine(_outDir, LastCheckpointName);
            Checkpoint.Save(last, model, options, state);
            IO.AtomicFile.Write(OptimizerStatePath(last), s => { using var w = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true); optimizer.save_state_dict(w); });
            TrainingLog.Write(logPath, history);
            TrainingCurvesPlot.Save(Path.Combine(_outDir, "curves.png"), history);
            progress?.Report(new TrainingProgress(epoch, options.Epochs, run.Batches, run.Batches, record.TrainLoss, scores.MacroF1, best, "done"));

            if (epoch - bestEpoch >= options.Patience)
            {
                _log?.Invoke($"early stop: no better validation macro-F1 for {options.Patience} epochs (best {best:F4} at epoch {bestEpoch})");
                stoppedEarly = true;
                break;
            }
        }
        return new TrainingResult(Path.Combine(_outDir, BestCheckpointName), bestEpoch, best, history.Count, stoppedEarly, history)
        {
            Batches = batchesRun,
            NonFiniteBatches = nonFiniteBatches,
            LastEpoch = lastTiming,
        };
    }

    /// <summary>The epoch's windows in training order. Seeded per epoch (and the torch generators re-seeded here), so a
    /// resumed run plans, shuffles and drops out exactly as an uninterrupted one would.</summary>
    private static TrainingWindow[] EpochOrder(IReadOnlyList<LabelledVideo> train, TrainOptions options, int epoch, Generator dropoutGenerator)
    {
        manual_seed(options.Seed * 1000L + epoch);
        dropoutGenerator.manual_seed(options.Seed * 1000L + epoch + 500);
        var random = new Random(options.Seed * 7919 + epoch);
        var order = TrainingWindow.Plan(train, options.Window, options.Stride, options.RandomPhase ? random : null).ToArray();
        random.Shuffle(order);
        return order;
    }

    private readonly record struct EpochRun(int Batches, int NonFinite, double MeanLoss);

    /// <summary>Progress of one epoch's training pass, with its rate and the time left.</summary>
    private sealed class EpochPass(int epoch, int epochs, double? lastF1, double best)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public TrainingProgress At(int batch, int batches, double loss, string phase)
        {
            double seconds = _clock.Elapsed.TotalSeconds;
            double rate = batch > 0 && seconds > 0 ? batch / seconds : double.NaN;
            return new TrainingProgress(epoch, epochs, batch, batches, loss, lastF1, best, phase)
            {
                BatchesPerSecond = rate,
                EpochRemaining = double.IsFinite(rate) && rate > 0 ? TimeSpan.FromSeconds((batches - batch) / rate) : null,
            };
        }
    }

    private static EpochRun RunEpoch(AffectFuseModel model, ModalityDropout dropout, FocalLoss loss, optim.Optimizer optimizer,
        LearningRateSchedule schedule, IReadOnlyList<LabelledVideo> train, TrainingWindow[] order, TrainOptions options, EpochPass pass,
        ref long step, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        model.train();
        dropout.train();
        double lossSum = 0;
        int lossCount = 0, nonFinite = 0;
        using var batches = new BatchPrefetcher(train, order, options.BatchSize, options.Window, cancel);
        for (int b = 0; b < batches.Count; b++)
        {
            cancel.ThrowIfCancellationRequested();
            double rate = schedule.At(step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
            using var batch = batches.Next();
            double batchLoss = TrainStep(model, dropout, loss, optimizer, batch, options);
            if (double.IsFinite(batchLoss))
            {
                lossSum += batchLoss;
                lossCount++;
            }
            else nonFinite++;
            step++;
            progress?.Report(pass.At(b + 1, batches.Count, lossCount > 0 ? lossSum / lossCount : double.NaN, "train"));
        }
        return new EpochRun(batches.Count, nonFinite, lossCount > 0 ? lossSum / lossCount : double.NaN);
    }

    private static double TrainStep(AffectFuseModel model, ModalityDropout dropout, FocalLoss loss, optim.Optimizer optimizer,
        WindowBatch batch, TrainOptions options)
    {
        using var scope = NewDisposeScope();
        var (mv, ma) = dropout.forward(batch.VisualMask, batch.AudioMask);
        var outputs = model.ForwardAll(batch.Visual, mv, batch.Audio, ma);
        var labels = batch.Labels.reshape(-1);
        var total = loss.forward(outputs.Fused.reshape(-1, ExpressionClasses.Count), labels);
        // Auxiliary heads learn only from frames where their own stream is present.
        var ignore = full_like(batch.Labels, ScalarCache.OfInteger(ExpressionClasses.Unannotated));
        if (outputs.Visual is not null)
            total = total + ScalarCache.Of(options.Model.AuxLossWeight) * loss.forward(outputs.Visual.reshape(-1, ExpressionClasses.Count), where(mv, batch.Labels, ignore).reshape(-1));
        if (outputs.Audio is not null)
            total = total + ScalarCache.Of(options.Model.AuxLossWeight) * loss.forward(outputs.Audio.reshape(-1, ExpressionClasses.Count), where(ma, batch.Labels, ignore).reshape(-1));
        optimizer.zero_grad();
        total.backward();
        nn.utils.clip_grad_norm_(model.parameters(), options.GradientClip);
        optimizer.step();
        return total.item<float>();
    }

    private static float[] ClassWeightsFor(IReadOnlyList<LabelledVideo> train, TrainOptions options)
    {
        var counts = new long[ExpressionClasses.Count];
        foreach (var video in train)
            foreach (int label in video.Labels)
                if (label >= 0) counts[label]++;
        return FocalLoss.AlphaFromCounts(counts, options.ClassWeighting, options.ClassWeightPower);
    }

    private static void RequireSameFeatures(IEnumerable<LabelledVideo> videos, ModelOptions model)
    {
        foreach (var v in videos)
        {
            if (v.Features.VisualDim != model.VisualDim || v.Features.AudioDim != model.AudioDim)
                throw new AffectFuseException(v.VideoId, $"features are {v.Features.VisualDim}+{v.Features.AudioDim} wide, expected {model.VisualDim}+{model.AudioDim} like the other videos");
            FeatureCompatibility.Check(model, v.Features, v.VideoId);
        }
    }

    private static string OptimizerStatePath(string checkpoint) => Path.ChangeExtension(checkpoint, ".optim");
}
