using AffectFuse.Decoding;
using AffectFuse.Workflows;

namespace AffectFuse.Benchmarks;

/// <summary>One look-ahead (and split of it) of <c>bench live-agreement</c>, over all its clips.</summary>
/// <param name="LookaheadSeconds">L.</param>
/// <param name="Split">Which split: <c>default</c> (<see cref="LiveLookahead.For"/>), <c>voting-first</c>
/// (<see cref="LiveLookahead.VotingFirst"/>) or <c>sound-first</c> (<see cref="LiveLookahead.SoundFirst"/>).</param>
/// <param name="PredictorFrames">Frames the voting waited.</param>
/// <param name="AudioHorizonSeconds">Sound after each frame its audio row read.</param>
/// <param name="Frames">Frames compared (all clips).</param>
/// <param name="Agreement">Share of frames whose live label is <c>predict</c>'s.</param>
/// <param name="MeanAbsoluteDifference">Mean |live − predict| over frames and the 8 probabilities.</param>
public sealed record LiveAgreementRow(double LookaheadSeconds, string Split, int PredictorFrames, double AudioHorizonSeconds, int Frames,
    double Agreement, double MeanAbsoluteDifference);

/// <summary>How close a file played live comes to <c>predict</c> on the same file, for each look-ahead: the file is read
/// as a live source as fast as it is processed (a file not played in real time drops no frame), so only the causal path
/// (the tracker's hold, the audio horizon, causal voting) makes the difference.</summary>
public static class LiveAgreementBenchmark
{
    /// <summary>Runs every clip at every look-ahead; with <paramref name="compareSplits"/> also the voting-first and sound-first splits.</summary>
    public static IReadOnlyList<LiveAgreementRow> Run(Recognizer recognizer, IReadOnlyList<string> clips, IReadOnlyList<double> lookaheads,
        bool compareSplits, Action<string>? log = null)
    {
        var pipeline = recognizer.Pipeline;
        var offline = clips.Select(c =>
        {
            log?.Invoke($"predict {c}");
            return recognizer.Predict(c);
        }).ToList();
        var rows = new List<LiveAgreementRow>();
        foreach (double seconds in lookaheads)
        {
            LiveLookahead Default(double fps) => LiveLookahead.For(seconds, fps, pipeline.Options, pipeline.AudioOptions);
            var plans = new List<(string, Func<double, LiveLookahead>)> { ("default", Default) };
            if (compareSplits)
            {
                plans.Add(("voting-first", fps => Default(fps).VotingFirst(fps)));
                plans.Add(("sound-first", fps => Default(fps).SoundFirst(fps, pipeline.AudioOptions)));
            }
            foreach (var (name, plan) in plans)
                rows.Add(Measure(recognizer, clips, offline, seconds, name, plan, log));
        }
        return rows;
    }

    private static LiveAgreementRow Measure(Recognizer recognizer, IReadOnlyList<string> clips, List<Inference.VideoPrediction> offline, double seconds,
        string split, Func<double, LiveLookahead> plan, Action<string>? log)
    {
        long frames = 0, same = 0;
        double difference = 0;
        LiveLookahead? used = null;
        for (int i = 0; i < clips.Count; i++)
        {
            log?.Invoke($"live {clips[i]}, look-ahead {seconds:0.##} s, {split}");
            var reference = offline[i];
            var source = new LiveSourceOptions { Source = clips[i] };
            var outcome = LiveSession.Run(recognizer, source, fps => used = plan(fps), r =>
            {
                if (r.Frame >= reference.FrameCount)
                    return;
                frames++;
                same += r.Label == reference.Labels[r.Frame] ? 1 : 0;
                for (int c = 0; c < ExpressionClasses.Count; c++)
                    difference += Math.Abs(r.Probabilities[c] - reference.Probabilities[r.Frame * ExpressionClasses.Count + c]);
            });
            if (outcome.Dropped > 0)
                throw new AffectFuseException(clips[i], $"{outcome.Dropped} frames were dropped; the comparison needs every frame");
        }
        return new LiveAgreementRow(seconds, split, used!.PredictorFrames, used.AudioHorizonSeconds, (int)frames,
            frames == 0 ? double.NaN : same / (double)frames, frames == 0 ? double.NaN : difference / (frames * ExpressionClasses.Count));
    }
}
