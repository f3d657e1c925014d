using System.Diagnostics;
using AffectFuse.Data;
using AffectFuse.Evaluation;
using AffectFuse.Inference;
using AffectFuse.Model;
using AffectFuse.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectFuse.Training;

/// <summary>Outcome of a training run.</summary>
public sealed record TrainingResult(string BestCheckpoint, int BestEpoch, double BestValidationMacroF1, int EpochsRun, bool StoppedEarly, IReadOnlyList<EpochRecord> History)
{
    /// <summary>Optimiser steps taken by this call (a resumed run counts only its own).</summary>
    public long Batches { get; init; }

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
        Directory.CreateDirectory(_outDir);
        if (options.Threads > 0) set_num_threads(options.Threads);

        LoadedCheckpoint? resumed = resumeFrom is null ? null : Checkpoint.Load(resumeFrom);
        if (resumed is not null)
            options = resumed.Options with { Epochs = Math.Max(options.Epochs, resumed.Options.Epochs) };
        options = options with { Model = options.Model with { VisualDim = train[0].Features.VisualDim, AudioDim = train[0].Features.AudioDim } };
        RequireWidths(train.Concat(validation), options.Model);

        manual_seed(options.Seed);
        using var model = resumed?.Model ?? new AffectFuseModel(options.Model);
        var dropoutGenerator = new Generator((ulong)options.Seed);
        using var dropout = new ModalityDropout(options.ModalityDropout ?? new ModalityDropoutOptions { VisualProbability = 0, AudioProbability = 0, OcclusionProbability = 0 },
            dropoutGenerator);
        float[] alpha = ClassWeightsFor(train, options);
        using var loss = new FocalLoss(alpha, options.FocalGamma);
        using var optimizer = optim.AdamW(model.parameters(), options.LearningRate, 0.9, 0.999, 1e-8, options.WeightDecay, false, false);

        var windows = TrainingWindow.Plan(train, options.Window, options.Stride);
        int batches = (windows.Count + options.BatchSize - 1) / options.BatchSize;
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
        for (int epoch = startEpoch; epoch <= options.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            // Seeded per epoch, so a resumed run shuffles exactly as an uninterrupted one would.
            manual_seed(options.Seed * 1000L + epoch);
            dropoutGenerator.manual_seed(options.Seed * 1000L + epoch + 500);
            var order = windows.ToArray();
            new Random(options.Seed * 7919 + epoch).Shuffle(order);

            model.train();
            dropout.train();
            double lossSum = 0;
            int lossCount = 0;
            int nonFiniteThisEpoch = 0;
            for (int b = 0; b < batches; b++)
            {
                cancel.ThrowIfCancellationRequested();
                double rate = schedule.At(step);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
                var slice = order.AsSpan(b * options.BatchSize, Math.Min(options.BatchSize, order.Length - b * options.BatchSize));
                double batchLoss = TrainStep(model, dropout, loss, optimizer, train, slice, options);
                if (double.IsFinite(batchLoss))
                {
                    lossSum += batchLoss;
                    lossCount++;
                }
                else nonFiniteThisEpoch++;
                batchesRun++;
                step++;
                progress?.Report(new TrainingProgress(epoch, options.Epochs, b + 1, batches, lossCount > 0 ? lossSum / lossCount : double.NaN,
                    history.Count > 0 ? history[^1].ValidationMacroF1 : null, Math.Max(best, 0), "train"));
            }

            nonFiniteBatches += nonFiniteThisEpoch;
            if (nonFiniteThisEpoch > 0)
                _log?.Invoke($"epoch {epoch}: {nonFiniteThisEpoch} of {batches} batches had a non-finite loss");

            progress?.Report(new TrainingProgress(epoch, options.Epochs, batches, batches, lossSum / Math.Max(lossCount, 1),
                history.Count > 0 ? history[^1].ValidationMacroF1 : null, Math.Max(best, 0), "validate"));
            var scores = DatasetEvaluation.Score(model, validation, options.Validation).Overall;
            var record = new EpochRecord(epoch, lossCount > 0 ? lossSum / lossCount : double.NaN, null, scores.MacroF1, scores.Accuracy,
                schedule.At(Math.Max(step - 1, 0)), clock.Elapsed.TotalSeconds);
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
            progress?.Report(new TrainingProgress(epoch, options.Epochs, batches, batches, record.TrainLoss, scores.MacroF1, best, "done"));

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
        };
    }

    private static double TrainStep(AffectFuseModel model, ModalityDropout dropout, FocalLoss loss, optim.Optimizer optimizer,
        IReadOnlyList<LabelledVideo> train, ReadOnlySpan<TrainingWindow> slice, TrainOptions options)
    {
        using var scope = NewDisposeScope();
        var batch = WindowBatch.Assemble(train, slice, options.Window);
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

    private static void RequireWidths(IEnumerable<LabelledVideo> videos, ModelOptions model)
    {
        foreach (var v in videos)
            if (v.Features.VisualDim != model.VisualDim || v.Features.AudioDim != model.AudioDim)
                throw new AffectFuseException(v.VideoId, $"features are {v.Features.VisualDim}+{v.Features.AudioDim} wide, expected {model.VisualDim}+{model.AudioDim} like the other videos");
    }

    private static string OptimizerStatePath(string checkpoint) => Path.ChangeExtension(checkpoint, ".optim");
}
