using Xunit;
using System.Globalization;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using AffectFuse.Inference;
using AffectFuse.Tests.Features.Sets;
using AffectFuse.Reporting;
using AffectFuse.Features;

namespace AffectFuse.Tests.Reporting;

public class PredictionCsvTests
{
    internal static VideoPrediction Sample(string id = "10-60-1280x720_right", int frames = 3)
    {
        var probs = new float[frames * 8];
        var labels = new int[frames];
        for (int t = 0; t < frames; t++)
        {
            labels[t] = (t * 3) % 8;
            for (int c = 0; c < 8; c++)
                probs[t * 8 + c] = c == labels[t] ? 0.65f : 0.05f;
        }
        return new VideoPrediction
        {
            VideoId = id,
            Probabilities = probs,
            Labels = labels,
            Timestamps = Enumerable.Range(0, frames).Select(t => t / 60.0).ToArray(),
            FacePresent = Enumerable.Range(0, frames).Select(t => t != 1).ToArray(),
            AudioPresent = Enumerable.Range(0, frames).Select(t => t != 2).ToArray(),
            Fps = 60,
        };
    }

    [Fact]
    public void WritesOneRowPerFrameInInvariantCulture()
    {
        using var dir = new TempFolder();
        string path = dir.File("out/pred.csv");
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE"); // decimal comma must not leak into the file
        try
        {
            PredictionCsv.Write(path, Sample());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        string[] lines = File.ReadAllLines(path);
        Assert.Equal("video,frame,time,label,label_name,p_neutral,p_anger,p_disgust,p_fear,p_happiness,p_sadness,p_surprise,p_other,face_present,audio_present,speech_probability,box_x,box_y,box_w,box_h", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Equal("10-60-1280x720_right,1,0,0,Neutral,0.65,0.05,0.05,0.05,0.05,0.05,0.05,0.05,1,1,,,,,", lines[1]);
        Assert.Equal("10-60-1280x720_right,2,0.016667,3,Fear,0.05,0.05,0.05,0.65,0.05,0.05,0.05,0.05,0,1,,,,,", lines[2]);
        Assert.Equal("10-60-1280x720_right,3,0.033333,6,Surprise,0.05,0.05,0.05,0.05,0.05,0.05,0.65,0.05,1,0,,,,,", lines[3]);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public void EveryPersonInLongFormatWithBoxAndSpeaking()
    {
        using var dir = new TempFolder();
        string path = dir.File("people.csv");
        float nan = float.NaN;
        var one = Sample(frames: 2) with { Person = 1, Boxes = [0.1f, 0.2f, 0.25f, 0.5f, nan, nan, nan, nan], Speaking = [0.75f, 0f] };
        var two = Sample(frames: 2) with { Person = 2, Boxes = [0.6f, 0.2f, 0.25f, 0.5f, 0.61f, 0.2f, 0.25f, 0.5f], Speaking = [0.125f, 0.5f] };
        PredictionCsv.WritePeople(path, [one, two]);

        string[] lines = File.ReadAllLines(path);
        Assert.Equal(PredictionCsv.PeopleHeader, lines[0]);
        Assert.StartsWith("video,person,frame,time,", lines[0]);
        Assert.EndsWith(",speech_probability,box_x,box_y,box_w,box_h,speaking", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.Equal(["1", "1", "2", "2"], lines.Skip(1).Select(l => l.Split(',')[1]));
        Assert.EndsWith(",0.1,0.2,0.25,0.5,0.75", lines[1]);
        Assert.EndsWith(",,,,,0", lines[2]); // no face on frame 2: no box
        Assert.EndsWith(",0.61,0.2,0.25,0.5,0.5", lines[4]);
    }

    [Fact]
    public void FaceCuesFollowTheStandardColumnsAndAreEmptyWithoutAFace()
    {
        using var dir = new TempFolder();
        string path = dir.File("cues.csv");
        var p = Sample(frames: 3) with { Cues = new FaceCues(["faceapi_happy", "lm_mouth_open"], [0.9f, 0.25f, float.NaN, float.NaN, 0.1f, 0.5f]) };
        PredictionCsv.Write(path, p);
        var lines = File.ReadAllLines(path);
        Assert.Equal(PredictionCsv.Header + ",faceapi_happy,lm_mouth_open", lines[0]);
        Assert.EndsWith(",0.9,0.25", lines[1]);
        Assert.EndsWith(",,", lines[2]);
        Assert.EndsWith(",0.1,0.5", lines[3]);
        Assert.All(lines, l => Assert.Equal(lines[0].Split(',').Length, l.Split(',').Length));
    }

    [Fact]
    public void CuesComeFromFeaturesThatHoldFaceApiAndLandmarkGroups()
    {
        var video = FeatureSetSelection.Select(FeatureSetTests.AllGroupsVideo(2),
            VisualFeatureGroups.FaceApiExpression | VisualFeatureGroups.Landmarks, null);
        var cues = FaceCues.From(video)!;
        Assert.Equal(7 + FaceCues.LandmarkMeasures.Count, cues.Names.Count);
        Assert.Equal("faceapi_neutral", cues.Names[0]);
        Assert.Equal(video.Visual[1, 0], cues.Values[cues.Names.Count]);
        int mouth = VisualFeatureLayout.Columns(VisualFeatureGroups.FaceApiExpression | VisualFeatureGroups.Landmarks).ToList().IndexOf("lm_mouth_open");
        Assert.Equal(video.Visual[0, mouth], cues.Values[7]);
        // The mini-Xception alone says nothing a user could read here.
        var mini = FeatureSetSelection.Select(FeatureSetTests.AllGroupsVideo(2), VisualFeatureGroups.MiniXception, null);
        Assert.Null(FaceCues.From(mini));
        var html = HtmlReport.ForPrediction(VideoPrediction.FromProbabilities(video, new float[2 * 8]), new ReportProvenance());
        Assert.Contains("What the face nets saw", html);
    }
}
