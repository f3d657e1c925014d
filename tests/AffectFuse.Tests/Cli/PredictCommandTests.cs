using AffectFuse.Cli.Commands;
using AffectFuse.Data;
using AffectFuse.Features;
using AffectFuse.Workflows;
using Xunit;
using AffectFuse.Tests.Fixtures;

namespace AffectFuse.Tests.Cli;

/// <summary>`predict` end to end on a real video with a RANDOMLY INITIALISED model: every output, a label for every frame.</summary>
[Collection(PipelineMediaCollection.Name)]
public class PredictCommandTests(PipelineMedia media, TwoPersonMedia two) : IClassFixture<TwoPersonMedia>
{
    [Fact]
    public void EveryFaceGivesEveryPersonTheirLabelsFilesAndShareOfTheVoice()
    {
        string outDir = media.PathOf("people-" + Guid.NewGuid().ToString("N")), report = Path.Combine(outDir, "report.html");
        var o = CommandLine.Exclusive(() => PredictCommand.Run(two.Video, media.RandomCheckpoint(), outDir,
            new ExtractionOptions { Face = AffectFuse.Faces.FaceSelection.All }, report));
        int frames = PipelineMedia.CountFrames(two.Video);

        Assert.Equal(2, o.People.Count);
        string[] csv = File.ReadAllLines(o.Csv);
        Assert.StartsWith(AffectFuse.Reporting.PredictionCsv.PeopleHeader + ",faceapi_neutral", csv[0]);
        int speaking = csv[0].Split(',').ToList().IndexOf("speaking");
        var rows = csv.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(2 * frames, rows.Count);
        Assert.Equal(Enumerable.Repeat("1", frames).Concat(Enumerable.Repeat("2", frames)), rows.Select(r => r[1]));
        // Person 1 is the speaker on the left: Aff-Wild2's names, and "speaking" tells the two apart.
        Assert.EndsWith("_left.txt", o.AbawFiles[0]);
        Assert.EndsWith("_right.txt", o.AbawFiles[1]);
        Assert.All(o.AbawFiles, f => Assert.Equal(frames, ExprLabelFile.Read(f).Length));
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        double Speaking(string person) => two.SpeechFrames.Average(t => double.Parse(rows[(person == "1" ? 0 : frames) + t][speaking], inv));
        Assert.True(Speaking("1") - Speaking("2") >= 0.3, $"speaking: left {Speaking("1"):F2}, right {Speaking("2"):F2}");
        Assert.Equal(2, o.Reports.Count);
        Assert.All(o.Reports, r => Assert.Contains("<img src=\"data:image/jpeg;base64,", File.ReadAllText(r)));
        Assert.Contains("_left (person 1)", File.ReadAllText(o.Summary));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(o.Timeline).Take(4).ToArray());
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp*", SearchOption.AllDirectories));
    }

    [Fact]
    public void LandmarkCuesAreAddedWithoutChangingTheLabels()
    {
        string model = media.RandomCheckpoint();
        var plain = CommandLine.Exclusive(() => PredictCommand.Run(media.Video, model, media.PathOf("plain-" + Guid.NewGuid().ToString("N")), new ExtractionOptions()));
        var cued = CommandLine.Exclusive(() => PredictCommand.Run(media.Video, model, media.PathOf("cued-" + Guid.NewGuid().ToString("N")), new ExtractionOptions(), faceCues: true));
        Assert.Equal(plain.Prediction.Labels, cued.Prediction.Labels);
        string header = File.ReadLines(cued.Csv).First();
        Assert.Contains(",faceapi_happy,", header);
        Assert.EndsWith(",lm_eye_open_right,lm_eye_open_left", header);
        Assert.DoesNotContain("lm_", File.ReadLines(plain.Csv).First());
        var cues = cued.Prediction.Cues!;
        int mouth = cues.Names.ToList().IndexOf("lm_mouth_width");
        Assert.InRange(cues.Values[20 * cues.Names.Count + mouth], 0.3f, 3f); // a face on frame 20
        Assert.True(float.IsNaN(cues.Values[70 * cues.Names.Count + mouth])); // none on frame 70
    }

    [Fact]
    public void BlendshapeCuesGoIntoTheCsvAndTheReportWithoutChangingTheLabels()
    {
        string model = media.RandomCheckpoint();
        string outDir = media.PathOf("bs-" + Guid.NewGuid().ToString("N")), report = Path.Combine(outDir, "report.html");
        var plain = CommandLine.Exclusive(() => PredictCommand.Run(media.Video, model, media.PathOf("plain-" + Guid.NewGuid().ToString("N")), new ExtractionOptions()));
        var cued = CommandLine.Exclusive(() => PredictCommand.Run(media.Video, model, outDir, new ExtractionOptions(), report, blendshapes: true));
        Assert.Equal(plain.Prediction.Labels, cued.Prediction.Labels);
        string[] csv = File.ReadAllLines(cued.Csv);
        var header = csv[0].Split(',').ToList();
        Assert.Equal(AffectFuse.Faces.Nets.MediaPipe.BlendshapeColumns.Columns, header[^52..]);
        int smile = header.IndexOf("bs_mouthSmileLeft");
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Assert.InRange(float.Parse(csv[21].Split(',')[smile], inv), 0f, 1f); // a face on frame 20
        Assert.Equal("", csv[71].Split(',')[smile]); // none on frame 70
        Assert.Contains(">blendshape smile<", File.ReadAllText(report));
    }

    [Fact]
    public void WritesEveryOutputWithALabelForEveryFrame()
    {
        string outDir = media.PathOf("predict-" + Guid.NewGuid().ToString("N"));
        string report = Path.Combine(outDir, "report.html");
        var o = CommandLine.Exclusive(() => PredictCommand.Run(media.Video, media.RandomCheckpoint(), outDir, new ExtractionOptions(), report, smoothing: 4));
        int frames = PipelineMedia.CountFrames(media.Video);

        string[] csv = File.ReadAllLines(o.Csv);
        Assert.Equal(frames + 1, csv.Length);
        // The standard columns, then what face-api itself saw (empty cells where no face was found).
        Assert.StartsWith(AffectFuse.Reporting.PredictionCsv.Header + ",faceapi_neutral,faceapi_happy", csv[0]);
        Assert.EndsWith(",faceapi_surprised", csv[0]);
        var rows = csv.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(rows, r => Assert.InRange(int.Parse(r[3]), 0, 7));
        Assert.Equal(Enumerable.Range(1, frames), rows.Select(r => int.Parse(r[1])));
        // The face leaves the frame on frames 50–90: the CSV must say so there and not where it is visible.
        Assert.Equal("0", rows[70][13]);
        Assert.Equal("1", rows[20][13]);
        // The face box (fractions of the frame) where there is a face, empty cells where there is none.
        Assert.All(Enumerable.Range(16, 4), c => Assert.InRange(float.Parse(rows[20][c], System.Globalization.CultureInfo.InvariantCulture), 0f, 1f));
        Assert.Equal("", rows[70][16]);
        Assert.Equal("", rows[70][20]);
        Assert.InRange(Enumerable.Range(20, 7).Sum(c => float.Parse(rows[20][c], System.Globalization.CultureInfo.InvariantCulture)), 0.99f, 1.01f);
        Assert.Contains("What the face nets saw", File.ReadAllText(report));
        Assert.Contains("<img src=\"data:image/jpeg;base64,", File.ReadAllText(report)); // each segment's middle frame
        Assert.All(rows, r => Assert.InRange(float.Parse(r[15], System.Globalization.CultureInfo.InvariantCulture), 0f, 1f));

        var labels = ExprLabelFile.Read(o.Abaw);
        Assert.Equal(frames, labels.Length);
        Assert.Equal(rows.Select(r => int.Parse(r[3])), labels);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(o.Timeline).Take(4).ToArray());
        Assert.Contains("segments", File.ReadAllText(o.Summary));
        Assert.Contains("<html", File.ReadAllText(report));
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp*", SearchOption.AllDirectories));
    }

    [Fact]
    public void AMissingVideoIsAClearError()
    {
        var e = Assert.Throws<AffectFuseException>(() => CommandLine.Exclusive(() => PredictCommand.Run(media.PathOf("nope.mp4"), media.RandomCheckpoint(), media.PathOf("x"), new ExtractionOptions())));
        Assert.Contains("nope.mp4", e.Message);
    }

    [Fact]
    public void ANegativeSmoothingIsRefusedBeforeAnyWorkAndMakesNoFolder()
    {
        string outDir = media.PathOf("predict-smooth-" + Guid.NewGuid().ToString("N"));
        int reports = 0;
        using var recognizer = Recognizer.Load(media.RandomCheckpoint());
        var request = new PredictRequest { Video = media.Video, OutDir = outDir, SmoothingHalfWidth = -5 };
        var e = Assert.Throws<AffectFuseException>(() => VideoPredictionWorkflow.Run(recognizer, request, new SynchronousProgress<ExtractionProgress>(_ => reports++)));
        Assert.Equal("InferenceOptions.SmoothingHalfWidth", e.Option);
        Assert.Equal(0, reports);
        Assert.False(Directory.Exists(outDir));
    }
}
