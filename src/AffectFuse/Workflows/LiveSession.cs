using System.Diagnostics;
using AffectFuse.Audio;
using AffectFuse.Decoding;
using AffectFuse.Features;
using AffectFuse.Inference;

namespace AffectFuse.Workflows;

/// <summary>How a live session ran.</summary>
/// <param name="Prediction">Every labelled frame, for the same CSV and timeline files as <c>predict</c>.</param>
/// <param name="Dropped">Frames dropped because processing fell behind.</param>
/// <param name="Reconnects">Times a network source was reconnected.</param>
/// <param name="EndReason">Why the source ended (a stall, a failure), or null for a normal end or a stop.</param>
/// <param name="MedianLatencySeconds">Median of arrival-to-label latency.</param>
/// <param name="P95LatencySeconds">95th percentile of it.</param>
public sealed record LiveOutcome(VideoPrediction Prediction, long Dropped, int Reconnects, string? EndReason, double MedianLatencySeconds, double P95LatencySeconds);

/// <summary>Live: a source read as it plays, each frame labelled from the frames up to it plus a look-ahead of L frames
/// (causal soft voting, <see cref="CausalPredictor"/>), with the models and settings a file's prediction uses.</summary>
public static class LiveSession
{
    /// <summary>Frame pictures a second sent with the results (<see cref="LiveFrameResult.Snapshot"/>).</summary>
    private const double SnapshotsPerSecond = 4;

    /// <summary>Runs until the source ends or <paramref name="cancel"/> fires; <paramref name="onResult"/> hears each frame's
    /// label as soon as it is final. <paramref name="lookaheadSeconds"/> is spent as <see cref="LiveLookahead.For"/> says,
    /// at the source's rate. <paramref name="onNotice"/> hears what the source goes through without ending (a probe or
    /// a reconnect retried).</summary>
    public static LiveOutcome Run(Recognizer recognizer, LiveSourceOptions sourceOptions, double lookaheadSeconds, Action<LiveFrameResult> onResult,
        CancellationToken cancel = default, Action<string>? onNotice = null)
    {
        OptionCheck.Range("LiveSession.LookaheadSeconds", lookaheadSeconds, 0, 60);
        var pipeline = recognizer.Pipeline;
        return Run(recognizer, sourceOptions, fps => LiveLookahead.For(lookaheadSeconds, fps, pipeline.Options, pipeline.AudioOptions), onResult, cancel,
            onNotice);
    }

    /// <summary><see cref="Run(Recognizer, LiveSourceOptions, double, Action{LiveFrameResult}, CancellationToken, Action{string})"/> with the
    /// look-ahead's split given by <paramref name="plan"/> (of the stream's rate): for benchmarks that compare splits.</summary>
    internal static LiveOutcome Run(Recognizer recognizer, LiveSourceOptions sourceOptions, Func<double, LiveLookahead> plan, Action<LiveFrameResult> onResult,
        CancellationToken cancel = default, Action<string>? onNotice = null)
    {
        var pipeline = recognizer.Pipeline;
        bool everyone = pipeline.Options.Face == Faces.FaceSelection.All;
        using var source = LiveSource.Open(sourceOptions, onNotice, cancel);
        var lookahead = plan(source.Info.Fps);
        TorchSharp.torch.set_num_threads(recognizer.ModelThreads);
        var record = new LiveRecord(source, pipeline.Options.Audio.HasFlag(AudioFeatureGroups.Prosody));
        // A stop ends the source, which also ends the wait for sound that the audio features may be in.
        using var stop = cancel.Register(source.Stop);
        // A stop (Ctrl-C) ends the session like the end of the source: what has arrived is labelled and kept. So does
        // the end of each connection: the frames still waiting for their look-ahead are settled with what arrived,
        // and the next connection starts afresh (tracker, sound, voting), as a new file would.
        int snapshotEvery = Math.Max(1, (int)Math.Round(source.Info.Fps / SnapshotsPerSecond));
        foreach (var segment in source.Segments())
        {
            CausalPredictor NewPredictor() => new(recognizer.Model, recognizer.Inference, lookahead.PredictorFrames);
            var predictor = NewPredictor();
            // With every face followed, the stream's own predictor hears the voice alone; each person has their own.
            var people = everyone ? new LivePeople(NewPredictor, lookahead.PredictorFrames) : null;
            foreach (var row in pipeline.ExtractLive(segment.Frames, segment.Sound, lookahead.TrackerHold, lookahead.AudioHorizonSeconds, snapshotEvery))
            {
                record.Add(row);
                people?.Push(row);
                foreach (var final in predictor.Push(row.Visual, row.FacePresent && !everyone, row.Audio, row.AudioPresent))
                    onResult(record.Final(final, people));
            }
            people?.Flush();
            foreach (var final in predictor.Flush())
                onResult(record.Final(final, people));
        }
        return record.Outcome(recognizer, source);
    }

    /// <summary>What the session keeps: each pushed frame's metadata until it is final, and every final frame's label for
    /// the files at the end (small: 8 probabilities and a few flags a frame).</summary>
    private sealed class LiveRecord(LiveSource source, bool hasVad)
    {
        private readonly Queue<LiveFeatureRow> _pending = new();
        private readonly List<float> _probabilities = [];
        private readonly List<double> _times = [], _latencies = [];
        private readonly List<bool> _faces = [], _sound = [];
        private readonly List<float> _speech = [];

        public void Add(LiveFeatureRow row)
        {
            _pending.Enqueue(row);
        }

        public LiveFrameResult Final(CausalFrame final, LivePeople? people)
        {
            // The predictor of each connection settles its frames in push order; the queue holds them in the same order.
            var row = _pending.Dequeue();
            float speech = hasVad && row.AudioPresent ? row.Audio[AudioFeatureLayout.VadColumn] : float.NaN;
            var (probabilities, box, persons) = people is null ? OneFace(final, row, speech) : Everyone(final, row, speech, people);
            int label = TemporalSmoothing.Argmax(probabilities)[0];
            double latency = Stopwatch.GetElapsedTime(row.ArrivalTimestamp).TotalSeconds;
            _probabilities.AddRange(probabilities);
            double time = row.Frame / source.Info.Fps; // stream time: the row's own is its connection's
            _times.Add(time);
            _faces.Add(box is not null);
            _sound.Add(row.AudioPresent);
            _speech.Add(float.IsNaN(speech) ? 0f : speech);
            _latencies.Add(latency);
            return new LiveFrameResult(row.Frame, time, label, ExpressionClasses.Names[label], probabilities, box is not null, box, speech, latency, source.Dropped)
            {
                Persons = persons,
                Snapshot = row.Snapshot,
            };
        }

        private static (float[], LiveFaceBox?, IReadOnlyList<LivePerson>) OneFace(CausalFrame final, LiveFeatureRow row, float speech)
        {
            if (!row.FacePresent || row.FaceBox is not { } b)
                return (final.Probabilities, null, []);
            var box = new LiveFaceBox(b.X, b.Y, b.Width, b.Height);
            int label = TemporalSmoothing.Argmax(final.Probabilities)[0];
            return (final.Probabilities, box, [new LivePerson(1, box, label, ExpressionClasses.Names[label], final.Probabilities, speech)]);
        }

        // The frame's headline is the person seen longest so far among those present (as predict's is the person seen
        // longest), or the voice alone when nobody is.
        private static (float[], LiveFaceBox?, IReadOnlyList<LivePerson>) Everyone(CausalFrame final, LiveFeatureRow row, float speech, LivePeople people)
        {
            var persons = people.Final(row.Frame, speech);
            var headline = persons.MaxBy(p => people.SeenFrames(p.Id));
            return headline is null ? (final.Probabilities, null, persons) : (headline.Probabilities, headline.Box, persons);
        }

        public LiveOutcome Outcome(Recognizer recognizer, LiveSource source)
        {
            float[] probabilities = [.. _probabilities];
            var prediction = new VideoPrediction
            {
                VideoId = "live",
                Probabilities = probabilities,
                Labels = TemporalSmoothing.Argmax(probabilities),
                Timestamps = [.. _times],
                FacePresent = [.. _faces],
                AudioPresent = [.. _sound],
                Fps = source.Info.Fps,
                SpeechProbabilities = hasVad ? [.. _speech] : null,
            };
            var sorted = _latencies.Order().ToArray();
            double Quantile(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            return new LiveOutcome(prediction, source.Dropped, source.Reconnects, source.EndReason, Quantile(0.5), Quantile(0.95));
        }
    }
}
