using AffectFuse.Audio;
using AffectFuse.Decoding;
using AffectFuse.Faces;
using AffectFuse.Features;
using AffectFuse.Inference;
using AffectFuse.Tests.Fixtures;
using AffectFuse.Workflows;
using OpenCvSharp;
using Xunit;
using Xunit.Abstractions;

namespace AffectFuse.Tests.Workflows;

/// <summary>Every face followed live (<c>live --face all</c>): each person tracked with their own predictors and labels,
/// the voice given to the one whose mouth moves with it, a person's frames settled when their track ends, and a picture
/// of the frame a few times a second.</summary>
public sealed class LivePeopleTests(TwoPersonMedia two, ITestOutputHelper output) : IClassFixture<TwoPersonMedia>
{
    [Fact]
    public void TwoPeopleAreFollowedLiveWithTheirOwnLabelsAndTheSpeakerIsHeard()
    {
        using var recognizer = Recognizer.Load(null, new RecognizerOptions { Extraction = new ExtractionOptions { Face = FaceSelection.All } });
        var offline = recognizer.PredictPeople(two.Video);
        // A look-ahead past the window, the smoothing and the sound a frame's row reads: the file's labels, up to the
        // voice's share, which live reads over fewer frames after each one.
        double lookahead = (recognizer.Inference.Window + recognizer.Inference.SmoothingHalfWidth + 1) / (double)TwoPersonMedia.Fps
                           + AudioFeatureStream.FullHorizonSeconds(recognizer.Pipeline.AudioOptions);
        var results = new List<LiveFrameResult>();
        LiveSession.Run(recognizer, new LiveSourceOptions { Source = two.Video }, lookahead, results.Add);

        Assert.Equal(Enumerable.Range(0, TwoPersonMedia.Frames), results.Select(r => r.Frame));
        double both = results.Count(r => r.Persons.Count == 2) / (double)results.Count;
        Assert.True(both >= 0.9, $"two persons on {both:P0} of the frames");
        Assert.Equal([1, 2], results.SelectMany(r => r.Persons).Select(p => p.Id).Distinct().Order());
        int left = results.SelectMany(r => r.Persons).GroupBy(p => p.Id).MinBy(g => g.Average(p => p.Box.X))!.Key;
        double Speaking(Func<LivePerson, bool> who) =>
            two.SpeechFrames.Average(t => results[t].Persons.Where(who).Select(p => p.Speaking).DefaultIfEmpty(0).First());
        double speaker = Speaking(p => p.Id == left), quiet = Speaking(p => p.Id != left);
        output.WriteLine($"speaking over the speech frames: speaker {speaker:F3}, the other {quiet:F3}");
        Assert.True(speaker - quiet >= 0.3, $"speaker {speaker:F3}, the other {quiet:F3}");

        foreach (var person in offline)
        {
            var frames = results.Where(r => r.Persons.Any(p => p.Id == person.Person)).ToList();
            double agree = frames.Count(r => r.Persons.Single(p => p.Id == person.Person).Label == person.Labels[r.Frame]) / (double)frames.Count;
            output.WriteLine($"person {person.Person}: live agrees with predict --face all on {agree:P1} of {frames.Count} frames");
            Assert.True(agree >= 0.8, $"person {person.Person}: {agree:P1}");
        }
        // The frame's own label is a person's: the one seen longest so far.
        Assert.All(results.Where(r => r.Persons.Count > 0), r => Assert.Contains(r.Persons, p => p.Box == r.FaceBox && p.Label == r.Label));

        var pictures = results.Where(r => r.Snapshot is not null).ToList();
        Assert.InRange(pictures.Count, TwoPersonMedia.Frames / 7, TwoPersonMedia.Frames / 5 + 1); // 4 a second at 25 fps
        using var picture = Cv2.ImDecode(pictures[0].Snapshot!, ImreadModes.Color);
        Assert.Equal((FrameSnapshot.MaxWidth, TwoPersonMedia.Height * FrameSnapshot.MaxWidth / TwoPersonMedia.Width),
            (picture.Width, picture.Height));
    }

    [Fact]
    public void APersonsFramesAreSettledWhenTheirTrackEndsAndALoneFaceHasTheWholeVoice()
    {
        using var recognizer = Recognizer.Load();
        int dv = recognizer.ModelOptions.VisualDim, da = recognizer.ModelOptions.AudioDim, lookahead = 80;
        var people = new LivePeople(() => new CausalPredictor(recognizer.Model, recognizer.Inference, lookahead), lookahead);
        var random = new Random(3);
        const int seen = 40;
        int ended = seen + LivePeople.EndAfterFrames + 1;
        for (int f = 0; f < ended; f++)
        {
            var visual = Enumerable.Range(0, dv).Select(_ => (float)random.NextDouble()).ToArray();
            var row = new LiveFeatureRow(f, f / 25.0, new float[dv], f < seen, null, new float[da], true, 0)
            {
                Persons = f < seen ? [new LivePersonRow(1, visual, (0.2f, 0.2f, 0.3f, 0.4f), (float)random.NextDouble())] : [],
                Loudness = (float)random.NextDouble(),
            };
            people.Push(row);
        }
        // The stream's own prediction of those frames is not final yet (80 frames of look-ahead), the person's are: their
        // track ended when the face had been gone for longer than the tracker waits.
        for (int f = 0; f < seen; f++)
        {
            var person = Assert.Single(people.Final(f, speech: 0.6f));
            Assert.Equal(1, person.Id);
            Assert.Equal(0.6f, person.Speaking, 1e-6f);
            Assert.Equal(1.0, person.Probabilities.Sum(), 1e-4);
        }
        Assert.Empty(people.Final(seen, speech: 0.6f));
        Assert.Equal(seen, people.SeenFrames(1));
    }
}
