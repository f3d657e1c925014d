using AffectFuse.Data;
using AffectFuse.Faces;
using AffectFuse.Features;
using AffectFuse.Tests.Fixtures;
using Xunit;
using Xunit.Abstractions;

namespace AffectFuse.Tests.Features;

/// <summary>Every face followed (<see cref="FaceSelection.All"/>): on a one-face video it is today's path, bit for bit; on
/// a two-person video each person gets their own rows and the voice goes to the one whose mouth moves with it.</summary>
[Collection(PipelineMediaCollection.Name)]
public sealed class PeopleExtractionTests(PipelineMedia media, TwoPersonMedia two, ITestOutputHelper output) : IClassFixture<TwoPersonMedia>
{
    // One detector for both: the automatic one runs the back model more often when every face is followed.
    [Fact]
    public void OnAOneFaceVideoEveryFaceIsTheLargestFaceBitForBit()
    {
        VideoFeatures largest;
        using (var one = new FeatureExtractionPipeline(new ExtractionOptions { Face = FaceSelection.Largest, Detector = FaceDetectorChoice.Back }))
            largest = one.Extract(media.Video);
        using var pipeline = new FeatureExtractionPipeline(new ExtractionOptions { Face = FaceSelection.All, Detector = FaceDetectorChoice.Back });
        var people = pipeline.ExtractPeople(media.Video);

        var person = Assert.Single(people);
        Assert.Equal(1, person.Person);
        Assert.Null(largest.Person);
        Assert.Equal(largest.VisualMask, person.VisualMask);
        Assert.Equal(largest.Boxes, person.Boxes);
        Assert.Equal(largest.Visual.ToSingles(), person.Visual.ToSingles());
        Assert.Equal(largest.Audio.ToSingles(), person.Audio.ToSingles());
        Assert.Null(person.VoiceShare); // a lone face keeps the whole voice
    }

    // Largest, left and right are filters over the tracks every face has: the person each follows has the same rows.
    [Theory]
    [InlineData(FaceSelection.Left)]
    [InlineData(FaceSelection.Right)]
    [InlineData(FaceSelection.Largest)]
    public void OneFaceSelectedIsThatPersonOfEveryFaceBitForBit(FaceSelection selection)
    {
        using var all = new FeatureExtractionPipeline(new ExtractionOptions { Face = FaceSelection.All, Detector = FaceDetectorChoice.Back });
        var people = all.ExtractPeople(two.Video);
        using var one = new FeatureExtractionPipeline(new ExtractionOptions { Face = selection, Detector = FaceDetectorChoice.Back });
        var followed = one.Extract(two.Video);

        var expected = selection switch
        {
            FaceSelection.Left => people.MinBy(MeanX)!,
            FaceSelection.Right => people.MaxBy(MeanX)!,
            _ => people.MaxBy(p => AreaWhenFirstSeen(p))!, // followed from the first frame both are in: the larger then
        };
        Assert.Equal(2, people.Count);
        Assert.Equal(expected.VisualMask, followed.VisualMask);
        Assert.Equal(expected.Boxes, followed.Boxes);
        Assert.Equal(expected.Visual.ToSingles(), followed.Visual.ToSingles());
    }

    [Fact]
    public void TwoPeopleEachGetTheirRowsAndTheVoiceGoesToTheSpeaker()
    {
        var video = two;
        using var pipeline = new FeatureExtractionPipeline(new ExtractionOptions { Face = FaceSelection.All });
        var people = pipeline.ExtractPeople(video.Video);

        Assert.Equal(2, people.Count);
        Assert.Equal([1, 2], people.Select(p => p.Person!.Value));
        foreach (var p in people)
        {
            double present = p.VisualMask.Count(m => m) / (double)p.FrameCount;
            Assert.True(present >= 0.9, $"person {p.Person} present in {present:P0} of the frames");
            Assert.Same(people[0].Audio, p.Audio); // the sound is shared, not copied
        }
        var left = people.MinBy(p => MeanX(p))!;
        var right = people.MaxBy(p => MeanX(p))!;
        double speaker = video.SpeechFrames.Average(t => left.VoiceShare![t]);
        double quiet = video.SpeechFrames.Average(t => right.VoiceShare![t]);
        output.WriteLine($"share of the voice over {video.SpeechFrames.Length} speech frames: speaker {speaker:F3}, the other {quiet:F3}");
        Assert.True(speaker - quiet >= 0.3, $"speaker {speaker:F3}, the other {quiet:F3}");
    }

    private static double AreaWhenFirstSeen(VideoFeatures p)
    {
        int t = Array.IndexOf(p.VisualMask, true);
        return p.Boxes![t * 4 + 2] * p.Boxes[t * 4 + 3];
    }

    private static double MeanX(VideoFeatures p) =>
        Enumerable.Range(0, p.FrameCount).Where(t => p.VisualMask[t]).Average(t => p.Boxes![t * 4] + p.Boxes[t * 4 + 2] / 2);
}
