using AffectFuse.Audio;
using AffectFuse.Data;
using AffectFuse.Features.Sets;

namespace AffectFuse.Inference;

/// <summary>A video's per-frame probabilities and labels with the presence masks and times they were made from.</summary>
public sealed record VideoPrediction
{
    /// <summary>Video identifier.</summary>
    public required string VideoId { get; init; }

    /// <summary>Class probabilities, row-major <c>[T, 8]</c>.</summary>
    public required float[] Probabilities { get; init; }

    /// <summary>Predicted label per frame (0..7).</summary>
    public required int[] Labels { get; init; }

    /// <summary>Frame times in seconds.</summary>
    public required double[] Timestamps { get; init; }

    /// <summary>True where a face was present.</summary>
    public required bool[] FacePresent { get; init; }

    /// <summary>True where audio was present.</summary>
    public required bool[] AudioPresent { get; init; }

    /// <summary>Nominal frame rate, used when timestamps cannot give the duration.</summary>
    public double Fps { get; init; } = 30;

    /// <summary>Voice-activity probability per frame (the audio features' VAD column), or null when not known.</summary>
    public float[]? SpeechProbabilities { get; init; }

    /// <summary>The face nets' own outputs per frame (face-api's probabilities, landmark measures), or null when the
    /// features hold none.</summary>
    public FaceCues? Cues { get; init; }

    /// <summary>Which person of the video (every face followed: 1, 2, …); null when one face was followed.</summary>
    public int? Person { get; init; }

    /// <summary>The face box per frame as fractions of the frame, <c>[T, 4]</c> (x, y, width, height; NaN where absent);
    /// null when not known.</summary>
    public float[]? Boxes { get; init; }

    /// <summary>With several people, the probability per frame that this person is the one speaking (the voice activity
    /// times their share of the voice); null with one face followed.</summary>
    public float[]? Speaking { get; init; }

    /// <summary>Number of frames T.</summary>
    public int FrameCount => Labels.Length;

    /// <summary>Frame <paramref name="index"/>'s prediction as one record.</summary>
    public FramePrediction Frame(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, FrameCount);
        int label = Labels[index];
        return new FramePrediction(index, Timestamps[index], label, ExpressionClasses.Names[label],
            Probabilities.AsSpan(index * ExpressionClasses.Count, ExpressionClasses.Count).ToArray(),
            FacePresent[index], AudioPresent[index], SpeechProbabilities?[index] ?? float.NaN);
    }

    /// <summary>Every frame's prediction, in order.</summary>
    public IEnumerable<FramePrediction> Frames => Enumerable.Range(0, FrameCount).Select(Frame);

    /// <summary>Labels the (already voted and smoothed) probabilities of <paramref name="video"/> by argmax.</summary>
    internal static VideoPrediction FromProbabilities(VideoFeatures video, float[] probabilities)
    {
        if (probabilities.Length != (long)video.FrameCount * ExpressionClasses.Count)
            throw new ArgumentException($"{probabilities.Length} probabilities for {video.FrameCount} frames", nameof(probabilities));
        return new VideoPrediction
        {
            VideoId = video.VideoId,
            Probabilities = probabilities,
            Labels = TemporalSmoothing.Argmax(probabilities),
            Timestamps = video.Timestamps,
            FacePresent = video.VisualMask,
            AudioPresent = video.AudioMask,
            Fps = video.Meta.Fps,
            SpeechProbabilities = SpeechColumn(video),
            Cues = FaceCues.From(video),
            Person = video.Person,
            Boxes = video.Boxes,
            Speaking = SpeakingOf(video),
        };
    }

    // The share of the voice where the voice is speech: the VAD column where there is one, else wherever there is sound.
    private static float[]? SpeakingOf(VideoFeatures video)
    {
        if (video.Person is null)
            return null;
        var speech = SpeechColumn(video);
        var speaking = new float[video.FrameCount];
        for (int t = 0; t < speaking.Length; t++)
        {
            float share = video.VoiceShare?[t] ?? (video.VisualMask[t] ? 1f : 0f);
            speaking[t] = share * (speech?[t] ?? (video.AudioMask[t] ? 1f : 0f));
        }
        return speaking;
    }

    // The VAD column of AffectFuse's own audio features (predict and infer alike); null for features from elsewhere.
    private static float[]? SpeechColumn(VideoFeatures video)
    {
        if (AudioFeatureSets.Parse(video.Meta.AudioFeatures) is not { } groups || !groups.HasFlag(AudioFeatureGroups.Prosody)
            || video.AudioDim != AudioFeatureSets.Width(groups))
            return null;
        var speech = new float[video.FrameCount];
        for (int t = 0; t < speech.Length; t++)
            speech[t] = video.AudioMask[t] ? video.Audio[t, AudioFeatureLayout.VadColumn] : 0f;
        return speech;
    }

    /// <summary>Duration in seconds: the timestamp span plus one frame period; from <see cref="Fps"/> when timestamps do not increase.</summary>
    public double DurationSeconds
    {
        get
        {
            int t = FrameCount;
            if (t == 0)
                return 0;
            if (t >= 2 && Timestamps.Length == t)
            {
                double span = Timestamps[t - 1] - Timestamps[0];
                if (span > 0 && double.IsFinite(span))
                    return span * t / (t - 1); // span covers t-1 periods; the last frame lasts one more
            }
            return Fps > 0 ? t / Fps : 0;
        }
    }
}
