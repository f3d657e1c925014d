using Xunit;
using AffectFuse.Evaluation;
using AffectFuse.Inference;

namespace AffectFuse.Tests.Evaluation;

public class ConditionScoresTests
{
    private static VideoPrediction Prediction(string id, int[] labels, bool[] face, bool[] audio, double[] timestamps, double fps = 30)
    {
        var probs = new float[labels.Length * 8];
        for (int t = 0; t < labels.Length; t++)
            probs[t * 8 + labels[t]] = 1;
        return new VideoPrediction
        {
            VideoId = id, Labels = labels, Probabilities = probs, FacePresent = face, AudioPresent = audio,
            Timestamps = timestamps, Fps = fps,
        };
    }

    [Fact]
    public void SplitsFramesByFaceAndAudioPresence()
    {
        //            frame: 0  1  2  3   4  5
        int[] truth =       [0, 1, 2, 3, -1, 4];
        int[] predicted =   [0, 1, 0, 3,  5, 6];
        bool[] face =       [true, true, false, false, false, true];
        bool[] audio =      [false, true, true, false, true, true];
        var video = new EvaluatedVideo(Prediction("v", predicted, face, audio, [0, 1, 2, 3, 4, 5]), truth);

        var scores = ConditionScores.Compute([video]);

        // Face present: frames 0, 1, 5 → correct, correct, wrong (4→6).
        Assert.Equal(3, scores.FacePresent.Frames);
        Assert.Equal(2.0 / 3, scores.FacePresent.Accuracy, 12);
        Assert.Equal(1, scores.FacePresent.Confusion[4, 6]);
        // Face absent: frames 2, 3 (frame 4 unannotated) → wrong (2→0), correct.
        Assert.Equal(2, scores.FaceAbsent.Frames);
        Assert.Equal(0.5, scores.FaceAbsent.Accuracy, 12);
        Assert.Equal(1, scores.FaceAbsent.Confusion[2, 0]);
        // Audio present: frames 1, 2, 5; absent: 0, 3.
        Assert.Equal(3, scores.AudioPresent.Frames);
        Assert.Equal(1.0 / 3, scores.AudioPresent.Accuracy, 12);
        Assert.Equal(2, scores.AudioAbsent.Frames);
        Assert.Equal(1.0, scores.AudioAbsent.Accuracy, 12);
        // Face-absent macro-F1 by hand: class 0 P=0 (0 of 1 predicted) → F1 0; class 3 P=R=1 → F1 1; others 0.
        Assert.Equal(1.0 / 8, scores.FaceAbsent.MacroF1, 12);
    }

    [Fact]
    public void FlipsPerMinuteCountsLabelChangesOverTheVideoDuration()
    {
        // 60 frames at 2 fps = 30 s = 0.5 min; labels change at frames 10, 20 and 40 → 3 flips → 6 per minute.
        int[] labels = Enumerable.Range(0, 60).Select(i => i < 10 ? 0 : i < 20 ? 4 : i < 40 ? 0 : 7).ToArray();
        double[] times = Enumerable.Range(0, 60).Select(i => i * 0.5).ToArray();
        bool[] all = Enumerable.Repeat(true, 60).ToArray();
        // Truth changes once between annotated frames (5→6 is across a -1 gap and does not count).
        int[] truth = Enumerable.Range(0, 60).Select(i => i < 30 ? 0 : i == 30 ? -1 : i < 50 ? 6 : 5).ToArray();
        var video = new EvaluatedVideo(Prediction("v", labels, all, all, times), truth);

        var scores = ConditionScores.Compute([video]);

        Assert.Equal(0.5, scores.Minutes, 12);
        Assert.Equal(6.0, scores.FlipsPerMinute, 12);
        Assert.Equal(2.0, scores.TruthFlipsPerMinute, 12); // 6→5 at frame 50 only
    }

    [Fact]
    public void DurationFallsBackToFpsWhenTimestampsDoNotIncrease()
    {
        var p = Prediction("v", [0, 1, 0, 1], [true, true, true, true], [true, true, true, true], [0, 0, 0, 0], fps: 4);
        Assert.Equal(1.0, p.DurationSeconds, 12);
        var scores = ConditionScores.Compute([new EvaluatedVideo(p, [0, 1, 0, 1])]);
        Assert.Equal(3 / (1.0 / 60), scores.FlipsPerMinute, 9);
    }

    [Fact]
    public void FlipRatesPoolAcrossVideos()
    {
        bool[] on = [true, true, true];
        // Each video lasts 3 s (1 fps): 6 s total = 0.1 min; flips 2 + 0 → 20 per minute.
        var a = new EvaluatedVideo(Prediction("a", [0, 1, 0], on, on, [0, 1, 2]), [0, 1, 0]);
        var b = new EvaluatedVideo(Prediction("b", [3, 3, 3], on, on, [0, 1, 2]), [3, 3, 3]);
        var scores = ConditionScores.Compute([a, b]);
        Assert.Equal(20.0, scores.FlipsPerMinute, 9);
        var overall = EvaluationResult.Compute([a, b]).Overall;
        Assert.Equal(6, overall.Frames);
        Assert.Equal(1.0, overall.Accuracy, 12);
    }
}
