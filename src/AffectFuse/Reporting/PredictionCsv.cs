using System.Globalization;
using System.Text;
using AffectFuse.Inference;
using AffectFuse.IO;

namespace AffectFuse.Reporting;

/// <summary>Per-frame prediction CSV: video, frame (1-based, as Aff-Wild2 image names), time, label, label name,
/// the 8 class probabilities, face present, audio present, speech probability, then the face cues where the features
/// hold them (face-api probabilities, landmark measures). Invariant culture, written atomically.</summary>
internal static class PredictionCsv
{
    /// <summary>The header line.</summary>
    public static string Header { get; } = "video,frame,time,label,label_name,"
        + string.Join(",", ExpressionClasses.Names.Select(n => "p_" + n.ToLowerInvariant()))
        + ",face_present,audio_present,speech_probability";

    /// <summary>The header of <paramref name="prediction"/>'s file: <see cref="Header"/>, then its face cues' columns.</summary>
    public static string HeaderOf(VideoPrediction prediction) =>
        prediction.Cues is { } cues ? Header + "," + string.Join(",", cues.Names) : Header;

    /// <summary>Writes <paramref name="prediction"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, VideoPrediction prediction)
    {
        const int k = ExpressionClasses.Count;
        var inv = CultureInfo.InvariantCulture;
        AtomicFile.Write(path, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            w.WriteLine(HeaderOf(prediction));
            var line = new StringBuilder(256);
            for (int t = 0; t < prediction.FrameCount; t++)
            {
                int label = prediction.Labels[t];
                line.Clear()
                    .Append(prediction.VideoId).Append(',')
                    .Append((t + 1).ToString(inv)).Append(',')
                    .Append(prediction.Timestamps[t].ToString("0.######", inv)).Append(',')
                    .Append(label.ToString(inv)).Append(',')
                    .Append(ExpressionClasses.Names[label]);
                for (int c = 0; c < k; c++)
                    line.Append(',').Append(prediction.Probabilities[(long)t * k + c].ToString("0.######", inv));
                line.Append(',').Append(prediction.FacePresent[t] ? '1' : '0')
                    .Append(',').Append(prediction.AudioPresent[t] ? '1' : '0').Append(',');
                // Empty where the prediction came from feature files, which carry no separate voice-activity column.
                if (prediction.SpeechProbabilities is { } speech)
                    line.Append(speech[t].ToString("0.####", inv));
                AppendCues(line, prediction.Cues, t);
                w.WriteLine(line);
            }
        });
    }

    // Empty cells where no face was seen: a missing measure is not a zero one.
    private static void AppendCues(StringBuilder line, FaceCues? cues, int t)
    {
        if (cues is null)
            return;
        int n = cues.Names.Count;
        for (int c = 0; c < n; c++)
        {
            float v = cues.Values[(long)t * n + c];
            line.Append(',');
            if (!float.IsNaN(v))
                line.Append(v.ToString("0.####", CultureInfo.InvariantCulture));
        }
    }
}
