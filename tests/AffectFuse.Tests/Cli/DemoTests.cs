using AffectFuse.Cli.Commands;
using AffectFuse.Cli.Demo;
using AffectFuse.Features;
using AffectFuse.Inference;
using Xunit;
using AffectFuse.Workflows;

namespace AffectFuse.Tests.Cli;

/// <summary>The README's main job: the demo clip through the shipped model.</summary>
public class DemoTests
{
    [Fact]
    public void DemoClipThroughTheShippedModelFindsTheFaceAndTheSpeechWhereTheyAre()
    {
        string dir = Directory.CreateTempSubdirectory("affectfuse-demo-test-").FullName;
        try
        {
            var clip = DemoClip.Create(Path.Combine(dir, "demo.mp4"));
            var o = CommandLine.Exclusive(() => PredictCommand.Run(clip.Path, DefaultModel.Require(), dir, new ExtractionOptions(), Path.Combine(dir, "demo.html")));
            var p = o.Prediction;
            Assert.Equal(300, p.FrameCount);
            Assert.All(p.Labels, l => Assert.InRange(l, 0, 7));

            double Face(double a, double b) => Mean(p, a, b, t => p.FacePresent[t] ? 1 : 0);
            double Speech(double a, double b) => Mean(p, a, b, t => p.SpeechProbabilities![t]);
            Assert.True(Face(0.5, 4.5) > 0.95, "face visible at the start");
            Assert.True(Face(clip.FaceCovered.Start + 0.2, clip.FaceCovered.End - 0.2) < 0.1, "face covered");
            Assert.True(Face(clip.FaceOffFrame.Start + 0.2, clip.FaceOffFrame.End - 0.2) < 0.1, "face off frame");
            Assert.True(Speech(clip.Speech[0].Start + 0.3, clip.Speech[0].End - 0.3) > 0.5, "first sentence heard");
            Assert.True(Speech(clip.Speech[0].End + 0.5, clip.Speech[1].Start - 0.5) < 0.2, "pause is silent");
            foreach (var file in new[] { o.Csv, o.Abaw, o.Timeline, o.Summary, o.Report! })
                Assert.True(new FileInfo(file).Length > 0, file);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Mean(VideoPrediction p, double from, double to, Func<int, double> value)
    {
        var frames = Enumerable.Range(0, p.FrameCount).Where(t => p.Timestamps[t] >= from && p.Timestamps[t] < to).ToList();
        return frames.Average(value);
    }
}
