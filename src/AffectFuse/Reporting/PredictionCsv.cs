using System.Globalization;
using System.Text;
using AffectFuse.Inference;
using AffectFuse.IO;

namespace AffectFuse.Reporting;

/// <summary>Per-frame prediction CSV: video, frame (1-based, as Aff-Wild2 image names), time, label, label name,
/// the 8 class probabilities, face present, audio present, speech probability, the face box (fractions of the frame;
/// empty without a face or where not known), then the face cues where the features hold them (face-api probabilities,
/// landmark measures). With every face followed, one file in long format: a <c>person</c> column after the video and a
/// <c>speaking</c> column after the box, each person's frames in turn. Invariant culture, written atomically.</summary>
internal static class PredictionCsv
{
    /// <summary>The header line of a one-person file, without face cues.</summary>
    public static string Header { get; } = "video,frame,time,label,label_name,"
        + string.Join(",", ExpressionClasses.Names.Select(n => "p_" + n.ToLowerInvariant()))
        + ",face_present,audio_present,speech_probability,box_x,box_y,box_w,box_h";

    /// <summary>The header line of a file of every person, without face cues.</summary>
    public static string PeopleHeader { get; } = Header.Replace("video,frame,", "video,person,frame,", StringComparison.Ordinal) + ",speaking";

    /// <summary>The header of <paramref name="prediction"/>'s file: <see cref="Header"/>, then its face cues' columns.</summary>
    public static string HeaderOf(VideoPrediction prediction) => WithCues(Header, prediction);

    private static string WithCues(string header, VideoPrediction prediction) =>
        prediction.Cues is { } cues ? header + "," + string.Join(",", cues.Names) : header;

    /// <summary>Writes <paramref name="prediction"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, VideoPrediction prediction) => Write(path, [prediction], people: false);

    /// <summary>Writes every person's prediction to <paramref name="path"/> in long format (<see cref="PeopleHeader"/>).</summary>
    public static void WritePeople(string path, IReadOnlyList<VideoPrediction> people) => Write(path, people, people: true);

    private static void Write(string path, IReadOnlyList<VideoPrediction> predictions, bool people)
    {
        AtomicFile.Write(path, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            w.WriteLine(WithCues(people ? PeopleHeader : Header, predictions[0]));
            var line = new StringBuilder(256);
            foreach (var prediction in predictions)
                for (int t = 0; t < prediction.FrameCount; t++)
                {
                    line.Clear();
                    AppendFrame(line, prediction, t, people);
                    w.WriteLine(line);
                }
        });
    }

    private static void AppendFrame(StringBuilder line, VideoPrediction prediction, int t, bool people)
    {
        const int k = ExpressionClasses.Count;
        var inv = CultureInfo.InvariantCulture;
        int label = prediction.Labels[t];
        line.Append(prediction.VideoId).Append(',');
        if (people)
            line.Append((prediction.Person ?? 1).ToString(inv)).Append(',');
        line.Append((t + 1).ToString(inv)).Append(',')
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
        AppendBox(line, prediction.Boxes, t);
        if (people)
            line.Append(',').Append(prediction.Speaking is { } speaking ? speaking[t].ToString("0.####", inv) : "");
        AppendCues(line, prediction.Cues, t);
    }

    // Empty cells where there is no box: no face, or features from files.
    private static void AppendBox(StringBuilder line, float[]? boxes, int t)
    {
        for (int i = 0; i < 4; i++)
        {
            line.Append(',');
            if (boxes is not null && !float.IsNaN(boxes[t * 4 + i]))
                line.Append(boxes[t * 4 + i].ToString("0.####", CultureInfo.InvariantCulture));
        }
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
