using Xunit;
using System.Globalization;
using AffectFuse.Inference;
using AffectFuse.Reporting;

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
        Assert.Equal("video,frame,time,label,label_name,p_neutral,p_anger,p_disgust,p_fear,p_happiness,p_sadness,p_surprise,p_other,face_present,audio_present,speech_probability", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Equal("10-60-1280x720_right,1,0,0,Neutral,0.65,0.05,0.05,0.05,0.05,0.05,0.05,0.05,1,1,", lines[1]);
        Assert.Equal("10-60-1280x720_right,2,0.016667,3,Fear,0.05,0.05,0.05,0.65,0.05,0.05,0.05,0.05,0,1,", lines[2]);
        Assert.Equal("10-60-1280x720_right,3,0.033333,6,Surprise,0.05,0.05,0.05,0.05,0.05,0.05,0.65,0.05,1,0,", lines[3]);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }
}
