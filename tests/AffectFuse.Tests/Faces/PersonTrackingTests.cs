using AffectFuse.Faces;
using OpenCvSharp;
using Xunit;
using Xunit.Abstractions;

namespace AffectFuse.Tests.Faces;

/// <summary>Every face followed with a stable id: generated scenes of two to four moving faces that cross, leave and come
/// back (four looks of the same photograph: as taken, gray, warm and cool, so that colour can tell them apart), scored by
/// identity switches against where each face really is.</summary>
public sealed class PersonTrackingTests(ITestOutputHelper output)
{
    private const int W = 640, H = 360, Size = 110;

    // Where each true face is in frame i (null = not in the frame).
    private delegate Point? Path(int frame);

    [Theory]
    [InlineData(1, false)]
    [InlineData(5, false)]
    [InlineData(5, true)] // the same look: motion alone must carry them through
    public void TwoFacesThatCrossKeepTheirIds(int detectEvery, bool alike)
    {
        Path a = i => new Point(120 + i * 5, 170);
        Path b = i => new Point(520 - i * 5, 190);
        var score = Run([a, b], 80, detectEvery, alike: alike);
        Assert.Equal(0, score.Switches);
        Assert.Equal(2, score.Ids);
        Assert.InRange(score.Missed, 0, 8);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void AFaceThatLeavesAndComesBackKeepsItsIdAndAStrangerGetsANewOne(int detectEvery)
    {
        // b walks out on the right (gone frames 30–69) and comes back there; c, another look, enters there later.
        Path a = _ => new Point(160, 180);
        Path b = i => i < 70 ? new Point(480 + i * 7, 180) : i < 100 ? new Point(Math.Max(470, 690 - (i - 70) * 10), 180) : null;
        Path c = i => i >= 120 ? new Point(Math.Max(470, 700 - (i - 120) * 10), 180) : null;
        var score = Run([a, b, c], 160, detectEvery);
        Assert.Equal(0, score.Switches);
        Assert.Equal(3, score.Ids);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void WithDescriptorsAFaceThatComesBackElsewhereKeepsItsIdAndSomeoneElseWhereItLeftDoesNot(int detectEvery)
    {
        // b (the cameraman) walks out on the right (gone frames 30–69) and comes back from the left, far from where he
        // left; c (the astronaut, gray) then enters where b left. a (the astronaut) stays throughout.
        const int size = 150; // the cameraman's face is small in his photograph
        Path a = _ => new Point(330, 90);
        Path b = i => i < 70 ? new Point(480 + i * 7, 260) : new Point(Math.Min(130, -80 + (i - 70) * 10), 260);
        Path c = i => i >= 120 ? new Point(Math.Max(500, 720 - (i - 120) * 10), 260) : null;
        using var cameraman = FaceIdentityTests.Cameraman(size);
        var looks = Looks(size);
        Mat[] heads = [looks[0], cameraman, looks[1]];
        using var identity = new FaceIdentity(FaceIdentityTests.Net);
        var known = Run([a, b, c], 160, detectEvery, size, heads: heads, identity: identity);
        Assert.Equal(0, known.Switches);
        Assert.Equal(3, known.Ids);
        // By place and colour alone, b's return far from where he left is someone new.
        var placed = Run([a, b, c], 160, detectEvery, size, heads: heads);
        Assert.True(placed.Switches >= 1, $"{placed.Switches} switches without descriptors");
        foreach (var look in looks)
            look.Dispose();
    }

    [Fact]
    public void FourFacesMovingAboutKeepFourIds()
    {
        Path[] paths = Enumerable.Range(0, 4).Select(k => (Path)(i =>
        {
            double phase = i * 0.08 + k * Math.PI / 2;
            return new Point(160 + 320 * (k % 2) + (int)(30 * Math.Cos(phase)), 95 + 170 * (k / 2) + (int)(15 * Math.Sin(phase)));
        })).ToArray();
        var score = Run(paths, 75, 5);
        Assert.Equal(0, score.Switches);
        Assert.Equal(4, score.Ids);
        Assert.InRange(score.Missed, 0, 4 * 75 / 20);
    }

    private sealed record Score(int Switches, int Ids, int Missed);

    // Tracks the scene; an identity switch is a true face taking another id than it had the last time it was matched,
    // or taking an id another true face had.
    private Score Run(Path[] paths, int frames, int detectEvery, int size = Size, bool alike = false, Mat[]? heads = null, FaceIdentity? identity = null)
    {
        using var background = FaceScenes.Background(W, H);
        bool own = heads is null;
        heads ??= alike ? [.. Enumerable.Range(0, 4).Select(_ => FaceScenes.Head(size))] : Looks(size);
        var images = Enumerable.Range(0, frames).Select(i =>
        {
            var f = background.Clone();
            for (int k = 0; k < paths.Length; k++)
                if (paths[k](i) is { } p)
                    FaceScenes.Paste(f, heads[k], p.X, p.Y);
            return f;
        });
        var tracker = new FaceTracker(FaceScenes.Detector, new FaceTrackerOptions { DetectEvery = detectEvery, Selection = FaceSelection.All }, identity);
        var idOf = new int?[paths.Length];
        var owner = new Dictionary<int, int>();
        int switches = 0, missed = 0, frame = 0;
        foreach (var tracked in tracker.Track(FaceScenes.AsFrames(images)))
        {
            using (tracked)
            {
                var taken = new HashSet<TrackedFace>();
                foreach (int k in Scored(paths, frame, size))
                {
                    var p = paths[k](frame)!.Value;
                    var match = tracked.Persons.Where(f => !taken.Contains(f)).MinBy(f => Distance(FaceScenes.Centre(f.Box), p));
                    if (match is null || Distance(FaceScenes.Centre(match.Box), p) > size * 0.5)
                    {
                        missed++;
                        continue;
                    }
                    taken.Add(match);
                    if ((idOf[k] is { } before && before != match.Person) || (owner.TryGetValue(match.Person, out int o) && o != k))
                    {
                        switches++;
                        output.WriteLine($"frame {frame}: face {k} as person {match.Person} (was {idOf[k]})");
                    }
                    idOf[k] = match.Person;
                    owner[match.Person] = k;
                }
            }
            frame++;
        }
        if (own)
            foreach (var h in heads)
                h.Dispose();
        output.WriteLine($"{paths.Length} faces, {frames} frames, detect every {detectEvery}: {switches} identity switches, "
                         + $"{owner.Count} ids, {missed} face-frames missed, {tracker.DetectorRuns} detector runs");
        return new Score(switches, owner.Count, missed);
    }

    // The true faces a tracker can be asked about in this frame: in the frame, not half out of it, and not hidden behind
    // another (a face whose centre is within a face width of a face pasted over it is behind it).
    private static IEnumerable<int> Scored(Path[] paths, int frame, int size)
    {
        for (int k = 0; k < paths.Length; k++)
        {
            if (paths[k](frame) is not { } p || p.X < size / 2 || p.X > W - size / 2)
                continue;
            bool hidden = Enumerable.Range(k + 1, paths.Length - k - 1)
                .Any(j => paths[j](frame) is { } q && Math.Abs(q.X - p.X) < size && Math.Abs(q.Y - p.Y) < size);
            if (!hidden)
                yield return k;
        }
    }

    private static double Distance(Point2f a, Point b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    // Four looks of the one photograph: as taken, gray, warmer and cooler.
    private static Mat[] Looks(int size)
    {
        var plain = FaceScenes.Head(size);
        var gray = plain.CvtColor(ColorConversionCodes.BGR2GRAY).CvtColor(ColorConversionCodes.GRAY2BGR);
        return [plain, gray, Tinted(plain, 0.7, 1.0, 1.25), Tinted(plain, 1.25, 1.0, 0.75)];
    }

    private static Mat Tinted(Mat image, double blue, double green, double red)
    {
        var channels = image.Split();
        double[] scales = [blue, green, red];
        for (int c = 0; c < 3; c++)
            channels[c].ConvertTo(channels[c], -1, scales[c]);
        var tinted = new Mat();
        Cv2.Merge(channels, tinted);
        foreach (var c in channels)
            c.Dispose();
        return tinted;
    }
}
