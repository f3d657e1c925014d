using System.Globalization;
using System.Diagnostics;
using AffectFuse.Data;
using AffectFuse.Evaluation;
using AffectFuse.Inference;
using AffectFuse.Model;
using AffectFuse.IO;
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
/// <remarks>Each epoch ends in one commit: <c>last.ckpt</c>, written under a temporary name and renamed into place, holds
/// the weights, the optimiser state and the run's progress (step, best epoch, every epoch's record) together. Everything
/// else in the output folder is derived from it and rebuilt when a run resumes: <c>best.ckpt</c> (best validation
/// macro-F1), the <c>.options.json</c> side files, and whatever the observers write (the CLI's log and curves). A run
/// killed at any point therefore resumes to the very weights and records an uninterrupted run ends with.</remarks>
internal sealed class Trainer
{
    /// <summary>File name of the best checkpoint inside the output folder.</summary>
    public const string BestCheckpointName = "best.ckpt";

    /// <summary>File name of the latest checkpoint, the run's committed state (for resuming).</summary>
    public const string LastCheckpointName = "last.ckpt";

    private static readonly ModalityDropoutOptions NoDropout = new() { VisualProbability = 0, AudioProbability = 0, OcclusionProbability = 0 };

    private readonly string _outDir;
    private readonly Action<string>? _log;
    private readonly IReadOnlyList<ITrainingObserver> _observers;

    /// <summary>Creates a trainer writing into <paramref name="outDir"/>; <paramref name="log"/> receives notable events and
    /// <paramref name="observers"/> are told of every committed epoch.</summary>
    public Trainer(string outDir, Action<string>? log = null, params IReadOnlyList<ITrainingObserver> observers)
    {
        _outDir = outDir;
        _log = log;
        _observers = observers;
    }

    private string LastPath => Path.Combine(_outDir, LastCheckpointName);

    private string BestPath => Path.Combine(_outDir, BestCheckpointName);

    /// <summary>Trains from scratch with <paramref name="options"/>, or continues the run saved at <paramref name="resumeFrom"/>
    /// (a <c>last.ckpt</c> or the run folder holding one; its options win, only <see cref="TrainOptions.Epochs"/> may be
    /// raised). Videos without frames are left out, with a message.</summary>
    public TrainingResult Train(IReadOnlyList<LabelledVideo> train, IReadOnlyList<LabelledVideo> validation, TrainOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default, string? resumeFrom = null)
    {
        train = WithFrames(train, "training");
        validation = WithFrames(validation, "validation");
        options.Validate();
        if (resumeFrom is not null)
            AtomicFile.RemoveStale(_outDir);
        string? resumePath = ResumePath(resumeFrom);
        var resumed = resumePath is null ? null : LoadResumable(resumePath);
        try
        {
            options = Resolve(options, resumed, resumePath, train, validation);
        }
        catch
        {
            resumed?.Model.Dispose();
            throw;
        }
        Directory.CreateDirectory(_outDir);
        if (options.Threads > 0) set_num_threads(options.Threads);

        using var session = new Session(train, options, resumed?.Model);
        CalibrateFacePrior(session, resumed is not null);
        var run = resumed is null ? new RunProgress() : Restore(session, resumed, resumePath!);
        return Run(session, run, validation, progress, cancel);
    }

    // A fresh run fits the prior once; a resumed one holds what its checkpoint saved.
    private void CalibrateFacePrior(Session session, bool resumed)
    {
        if (!session.Options.CalibratedFacePrior || session.Model.Prior is not { } prior)
            return;
        if (resumed)
        {
            prior.Hold();
            return;
        }
        var (frames, before, after) = FacePriorCalibration.Calibrate(prior, session.Train);
        var (weights, offsets) = prior.Values();
        _log?.Invoke($"face prior calibrated on {frames} training face frames (loss {before:F3} -> {after:F3}): weights " +
            $"{string.Join(" ", weights.Select(w => w.ToString("F3", CultureInfo.InvariantCulture)))}, offsets " +
            $"{string.Join(" ", offsets.Select(b => b.ToString("F2", CultureInfo.InvariantCulture)))}; held fixed");
    }

    private TrainingResult Run(Session session, RunProgress run, IReadOnlyList<LabelledVideo> validation,
        IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        var options = session.Options;
        long batchesRun = 0, nonFiniteBatches = 0;
        EpochTiming? lastTiming = null;
        bool stoppedEarly = StopsEarly(run, options);
        while (!stoppedEarly && run.Epoch < options.Epochs)
        {
            var epoch = TrainEpoch(session, run, validation, progress, cancel);
            batchesRun += epoch.Batches;
            nonFiniteBatches += epoch.NonFinite;
            lastTiming = epoch.Timing;
            run.Add(epoch.Record, epoch.Step);
            Commit(session, run);
            progress?.Report(new TrainingProgress(run.Epoch, options.Epochs, epoch.Batches, epoch.Batches, epoch.Record.TrainLoss,
                epoch.Record.ValidationMacroF1, run.Best, "done"));
            stoppedEarly = StopsEarly(run, options);
        }
        return new TrainingResult(BestPath, run.BestEpoch, run.Best, run.History.Count, stoppedEarly, run.History)
        {
            Batches = batchesRun,
            NonFiniteBatches = nonFiniteBatches,
            LastEpoch = lastTiming,
        };
    }

    private bool StopsEarly(RunProgress run, TrainOptions options)
    {
        if (run.Epoch == 0 || run.Epoch - run.BestEpoch < options.Patience)
            return false;
        _log?.Invoke($"early stop: no better validation macro-F1 for {options.Patience} epochs (best {run.Best:F4} at epoch {run.BestEpoch})");
        return true;
    }

    private sealed record EpochOutcome(EpochRecord Record, long Step, int Batches, int NonFinite, EpochTiming Timing);

    /// <summary>One epoch's training pass and validation; touches no file.</summary>
    private EpochOutcome TrainEpoch(Session session, RunProgress run, IReadOnlyList<LabelledVideo> validation,
        IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        var options = session.Options;
        int epoch = run.Epoch + 1;
        long step = run.Step;
        cancel.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        var order = EpochOrder(session, epoch);
        var pass = new EpochPass(epoch, options.Epochs, run.History.Count > 0 ? run.History[^1].ValidationMacroF1 : null, Math.Max(run.Best, 0));
        var trained = RunEpoch(session, order, pass, ref step, progress, cancel);
        if (trained.NonFinite > 0)
            _log?.Invoke($"epoch {epoch}: {trained.NonFinite} of {trained.Batches} batches had a non-finite loss");
        double trainSeconds = clock.Elapsed.TotalSeconds;

        cancel.ThrowIfCancellationRequested();
        progress?.Report(pass.At(trained.Batches, trained.Batches, trained.MeanLoss, "validate"));
        var scores = DatasetEvaluation.Score(session.Model, validation, options.Validation).Overall;
        var record = new EpochRecord(epoch, trained.MeanLoss, null, scores.MacroF1, scores.Accuracy,
            session.Schedule.At(Math.Max(step - 1, 0)), clock.Elapsed.TotalSeconds);
        var timing = new EpochTiming(order.Sum(w => (long)w.Length), trainSeconds, clock.Elapsed.TotalSeconds - trainSeconds);
        return new EpochOutcome(record, step, trained.Batches, trained.NonFinite, timing);
    }

    /// <summary>Commits the epoch just run (one rename of <c>last.ckpt</c>), then writes what derives from it.</summary>
    private void Commit(Session session, RunProgress run)
    {
        using var faults = SaveFaults.Arm(run.Epoch);
        Checkpoint.SaveResumable(LastPath, session.Model, session.Options, run.State, run.Committed(), session.OptimizerState());
        WriteDerived(session, run);
    }

    /// <summary>Rewrites every file derived from the committed state, so that a save cut short is completed. The best
    /// checkpoint can be rebuilt only when the committed epoch is the best one; an earlier best was complete before the
    /// next epoch could commit.</summary>
    private void WriteDerived(Session session, RunProgress run)
    {
        if (run.BestEpoch == run.Epoch)
            Checkpoint.Save(BestPath, session.Model, session.Options, run.State);
        Checkpoint.WriteOptions(LastPath, session.Model, session.Options);
        foreach (var observer in _observers)
            observer.Committed(_outDir, run.History);
    }

    private RunProgress Restore(Session session, LoadedCheckpoint resumed, string path)
    {
        session.LoadOptimizerState(resumed.OptimizerState!, path);
        var run = RunProgress.From(resumed.State, resumed.Run!);
        _log?.Invoke($"resuming after epoch {run.Epoch} (step {run.Step}, best macro-F1 {run.Best:F4} at epoch {run.BestEpoch})");
        AtomicFile.RemoveStale(_outDir);
        if (run.BestEpoch < run.Epoch)
            CheckBest(run);
        WriteDerived(session, run);
        return run;
    }

    private void CheckBest(RunProgress run)
    {
        try
        {
            var best = Checkpoint.Load(BestPath);
            best.Model.Dispose();
            if (best.State.Epoch == run.BestEpoch)
                return;
        }
        catch (AffectFuseException)
        {
        }
        _log?.Invoke($"{BestPath} does not hold epoch {run.BestEpoch}, the best so far, and cannot be rebuilt; it is replaced when an epoch scores higher");
    }

    /// <summary>The checkpoint to resume from, or null to start afresh: a run folder with no <c>last.ckpt</c> was stopped
    /// before it committed an epoch, and resuming it is starting it again.</summary>
    private string? ResumePath(string? resumeFrom)
    {
        if (resumeFrom is null || !Directory.Exists(resumeFrom))
            return resumeFrom;
        string last = Path.Combine(resumeFrom, LastCheckpointName);
        if (File.Exists(last))
            return last;
        _log?.Invoke($"{resumeFrom}: no epoch committed yet; starting from the beginning");
        return null;
    }

    private static LoadedCheckpoint LoadResumable(string path)
    {
        var loaded = Checkpoint.Load(path);
        if (loaded.Run is not null && loaded.OptimizerState is not null)
            return loaded;
        loaded.Model.Dispose();
        throw new AffectFuseException(path, $"not a run's {LastCheckpointName}: it holds no optimiser state or run progress to resume " +
            $"(a best.ckpt, or saved before format 2); start a new run with {OptionName.Of("TrainingRequest.Options")} from its .options.json");
    }

    /// <summary>The options the run trains with: the feature widths and sets from the data, or, resuming, the saved run's.</summary>
    private static TrainOptions Resolve(TrainOptions options, LoadedCheckpoint? resumed, string? resumePath,
        IReadOnlyList<LabelledVideo> train, IReadOnlyList<LabelledVideo> validation)
    {
        var first = train[0].Features;
        var data = options.Model with
        {
            VisualDim = first.VisualDim, AudioDim = first.AudioDim, VisualFeatures = first.Meta.VisualSet, AudioFeatures = first.Meta.AudioSet,
        };
        RequireSameFeatures(train.Concat(validation), data);
        if (resumed is null)
            return options with { Model = data };
        var model = resumed.Model.Options;
        if (model.VisualDim != first.VisualDim || model.AudioDim != first.AudioDim)
            throw new AffectFuseException(resumePath, $"checkpoint was trained on features {model.VisualDim}+{model.AudioDim} wide, " +
                $"but the data's are {first.VisualDim}+{first.AudioDim} ({train[0].VideoId})");
        FeatureCompatibility.Check(model, first, train[0].VideoId);
        return resumed.Options with { Epochs = Math.Max(options.Epochs, resumed.Options.Epochs), Model = model };
    }

    private IReadOnlyList<LabelledVideo> WithFrames(IReadOnlyList<LabelledVideo> videos, string split)
    {
        if (videos.Count == 0)
            throw new AffectFuseException(null, $"no {split} videos");
        // An empty video has no window to learn from and no frame to score; kept, it only hides that the set is empty.
        foreach (var empty in videos.Where(v => v.Features.FrameCount == 0))
            _log?.Invoke($"{empty.VideoId}: no frames; left out of {split}");
        var kept = videos.Where(v => v.Features.FrameCount > 0).ToList();
        if (kept.Count == 0)
            throw new AffectFuseException(null, $"no {split} video has any frames (all {videos.Count} are empty)");
        return kept;
    }

    /// <summary>The run's progress, as committed with each epoch.</summary>
    private sealed class RunProgress
    {
        public int Epoch { get; private set; }

        public long Step { get; private set; }

        public int BestEpoch { get; private set; }

        public double Best { get; private set; } = double.NegativeInfinity;

        public List<EpochRecord> History { get; } = [];

        public CheckpointState State => new(Epoch, History.Count > 0 ? History[^1].ValidationMacroF1 : 0, Step);

        public static RunProgress From(CheckpointState state, TrainingRunState run)
        {
            var progress = new RunProgress { Epoch = state.Epoch, Step = state.Step, BestEpoch = run.BestEpoch, Best = run.BestValidationMacroF1 };
            progress.History.AddRange(run.History);
            return progress;
        }

        public void Add(EpochRecord record, long step)
        {
            History.Add(record);
            (Epoch, Step) = (record.Epoch, step);
            // A NaN score is never "better": a model that scores nothing is not kept as the best.
            if (record.ValidationMacroF1 > Best)
                (Best, BestEpoch) = (record.ValidationMacroF1, record.Epoch);
        }

        public TrainingRunState Committed() => new(BestEpoch, Best, History.ToArray());
    }

    /// <summary>The model and what trains it, built once per run.</summary>
    private sealed class Session : IDisposable
    {
        public Session(IReadOnlyList<LabelledVideo> train, TrainOptions options, AffectFuseModel? resumed)
        {
            Train = train;
            Options = options;
            manual_seed(options.Seed);
            Model = resumed ?? new AffectFuseModel(options.Model);
            DropoutGenerator = new Generator((ulong)options.Seed);
            Dropout = new ModalityDropout(options.ModalityDropout ?? NoDropout, DropoutGenerator);
            Loss = new FocalLoss(ClassWeightsFor(train, options), options.FocalGamma, options.LabelSmoothing);
            Mixup = options.Mixup > 0 ? new WindowMixup(options.Mixup) : null;
            Optimizer = optim.AdamW(Model.parameters(), options.LearningRate, 0.9, 0.999, 1e-8, options.WeightDecay, false, false);
            Schedule = ScheduleFor(train, options);
        }

        public IReadOnlyList<LabelledVideo> Train { get; }
        public TrainOptions Options { get; }
        public AffectFuseModel Model { get; }
        public Generator DropoutGenerator { get; }
        public ModalityDropout Dropout { get; }
        public FocalLoss Loss { get; }
        public WindowMixup? Mixup { get; }
        public TorchSharp.Modules.AdamW Optimizer { get; }
        public LearningRateSchedule Schedule { get; }

        public byte[] OptimizerState()
        {
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
                Optimizer.save_state_dict(writer);
            return buffer.ToArray();
        }

        /// <summary>Reads the saved optimiser state with the care the weights get: a state cut short, or another optimiser's
        /// (whose hash was rewritten with it), is one error naming the checkpoint, not the reader's exception.</summary>
        public void LoadOptimizerState(byte[] state, string path)
        {
            using var reader = new BinaryReader(new MemoryStream(state, writable: false));
            try
            {
                Optimizer.load_state_dict(reader);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException or FormatException
                or IndexOutOfRangeException or OverflowException)
            {
                throw new AffectFuseException(path, $"checkpoint's optimiser state is damaged or not AdamW's for this model ({e.Message}); " +
                    $"start a new run with {OptionName.Of("TrainingRequest.Options")} from its .options.json", e);
            }
            if (reader.BaseStream.Position != state.Length)
                throw new AffectFuseException(path, $"checkpoint's optimiser state has {state.Length - reader.BaseStream.Position} bytes " +
                    "after its end: damaged or not this model's");
        }

        public void Dispose()
        {
            Optimizer.Dispose();
            Loss.Dispose();
            Dropout.Dispose();
            Model.Dispose();
            DropoutGenerator.Dispose();
        }
    }

    // A random phase adds at most one window per video to the phase-free plan; the schedule takes that bound so that it
    // never runs past its end.
    private static LearningRateSchedule ScheduleFor(IReadOnlyList<LabelledVideo> train, TrainOptions options)
    {
        int windowsPerEpoch = TrainingWindow.Plan(train, options.Window, options.Stride).Count + (options.RandomPhase ? train.Count : 0);
        int batches = (windowsPerEpoch + options.BatchSize - 1) / options.BatchSize;
        long totalSteps = (long)batches * options.Epochs;
        return new LearningRateSchedule(options.LearningRate, (int)Math.Min(options.WarmupSteps, totalSteps / 10), totalSteps);
    }

    /// <summary>The epoch's windows in training order. Seeded per epoch (the torch generators and mixup's draws re-seeded
    /// here too), so a resumed run plans, shuffles, drops out and mixes exactly as an uninterrupted one would.</summary>
    private static TrainingWindow[] EpochOrder(Session session, int epoch)
    {
        var options = session.Options;
        manual_seed(options.Seed * 1000L + epoch);
        session.DropoutGenerator.manual_seed(options.Seed * 1000L + epoch + 500);
        session.Mixup?.Reseed(options.Seed * 7919 + epoch + 300);
        var random = new Random(options.Seed * 7919 + epoch);
        var order = TrainingWindow.Plan(session.Train, options.Window, options.Stride, options.RandomPhase ? random : null).ToArray();
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

    private static EpochRun RunEpoch(Session session, TrainingWindow[] order, EpochPass pass, ref long step,
        IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        session.Model.train();
        session.Dropout.train();
        double lossSum = 0;
        int lossCount = 0, nonFinite = 0;
        using var batches = new BatchPrefetcher(session.Train, order, session.Options.BatchSize, session.Options.Window, cancel);
        for (int b = 0; b < batches.Count; b++)
        {
            cancel.ThrowIfCancellationRequested();
            double rate = session.Schedule.At(step);
            foreach (var group in session.Optimizer.ParamGroups) group.LearningRate = rate;
            using var batch = batches.Next();
            double batchLoss = TrainStep(session, batch);
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

    private static double TrainStep(Session session, WindowBatch batch)
    {
        var (model, dropout, optimizer, options) = (session.Model, session.Dropout, session.Optimizer, session.Options);
        using var scope = NewDisposeScope();
        var mixed = session.Mixup?.Mix(batch) ?? MixedWindows.Unmixed(batch);
        var (mv, ma) = dropout.forward(mixed.VisualMask, mixed.AudioMask);
        var outputs = model.ForwardAll(mixed.Visual, mv, mixed.Audio, ma);
        var total = Objective(session, outputs, mv, ma, mixed.First);
        if (mixed.Lambda < 1)
            total = total.mul(tensor((float)mixed.Lambda))
                .add(Objective(session, outputs, mv, ma, mixed.Second).mul(tensor((float)(1 - mixed.Lambda))), ScalarCache.One);
        optimizer.zero_grad();
        total.backward();
        nn.utils.clip_grad_norm_(model.parameters(), options.GradientClip);
        GarbageCollectionHold.Run(() => optimizer.step());
        return total.item<float>();
    }

    // The fused head's loss on every labelled frame of the source window, plus each auxiliary head's on the frames where
    // its own stream is present both after the drops and in that source window.
    private static Tensor Objective(Session session, ModelOutputs outputs, Tensor mv, Tensor ma, MixupSource source)
    {
        var (loss, labels, auxWeight) = (session.Loss, source.Labels, ScalarCache.Of(session.Options.Model.AuxLossWeight));
        var total = loss.forward(outputs.Fused.reshape(-1, ExpressionClasses.Count), labels.reshape(-1));
        var ignore = full_like(labels, ScalarCache.OfInteger(ExpressionClasses.Unannotated));
        if (outputs.Visual is not null)
            total = total.add(loss.forward(outputs.Visual.reshape(-1, ExpressionClasses.Count),
                where(mv.logical_and(source.VisualMask), labels, ignore).reshape(-1)), auxWeight);
        if (outputs.Audio is not null)
            total = total.add(loss.forward(outputs.Audio.reshape(-1, ExpressionClasses.Count),
                where(ma.logical_and(source.AudioMask), labels, ignore).reshape(-1)), auxWeight);
        return total;
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
}
