using AffectFuse.Inference;
using AffectFuse.Reporting;
using AffectFuse.Tests.Fixtures;
using OpenCvSharp;
using Xunit;

namespace AffectFuse.Tests.Reporting;

[Collection(PipelineMediaCollection.Name)]
public class SegmentKeyframesTests(PipelineMedia media)
{
    [Fact]
    public void EachSegmentGetsItsMiddleFrameWithTheFaceBoxedInItsClassColour()
    {
        const int frames = 100;
        // Two segments: Anger on frames 0–49, Sadness on 50–99; a box in the middle of the frame throughout.
        var labels = Enumerable.Range(0, frames).Select(t => t < 50 ? 1 : 5).ToArray();
        var probabilities = new float[frames * 8];
        for (int t = 0; t < frames; t++)
            probabilities[t * 8 + labels[t]] = 1;
        var boxes = Enumerable.Range(0, frames).SelectMany(_ => new[] { 0.25f, 0.25f, 0.5f, 0.5f }).ToArray();
        var prediction = new VideoPrediction
        {
            VideoId = "talking", Probabilities = probabilities, Labels = labels,
            Timestamps = Enumerable.Range(0, frames).Select(t => t / 25.0).ToArray(),
            FacePresent = new bool[frames], AudioPresent = new bool[frames], Boxes = boxes,
        };
        var segments = ExpressionSegments.From(prediction);

        var jpegs = SegmentKeyframes.Render(media.Video, prediction, segments, max: 10);

        Assert.Equal(2, jpegs.Length);
        for (int s = 0; s < 2; s++)
        {
            using var image = Cv2.ImDecode(jpegs[s]!, ImreadModes.Color);
            Assert.Equal(SegmentKeyframes.Width, image.Width);
            Assert.Equal(120, image.Height); // 640×480 at 160 wide
            // The box's left edge, half-way down, in the class's colour (JPEG blurs it a little).
            var pixel = image.At<Vec3b>(60, 40);
            var expected = ClassColours.Bgr(segments[s].Label);
            for (int c = 0; c < 3; c++)
                Assert.InRange(pixel[c], expected[c] - 60, expected[c] + 60);
        }
    }
}
