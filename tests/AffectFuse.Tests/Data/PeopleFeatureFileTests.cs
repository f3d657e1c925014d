using AffectFuse.Data;
using Xunit;

namespace AffectFuse.Tests.Data;

/// <summary>Feature files with a person axis (format 2): written and read back, read one person at a time by Aff-Wild2's
/// names, and format-1 files read as one person.</summary>
public class PeopleFeatureFileTests
{
    private const int Frames = 20;

    // Two persons of one video: person 1 on the right of the frame, person 2 on the left (so ids and sides differ).
    private static List<VideoFeatures> TwoPeople(bool half = false)
    {
        var video = TestFeatures.Make("v", Frames, 3, 2);
        return [Person(video, 1, 0.7f, 0, half), Person(video, 2, 0.1f, 5, half)];
    }

    private static VideoFeatures Person(VideoFeatures video, int id, float x, int absentFrom, bool half)
    {
        var values = video.Visual.ToSingles().Select(v => v + id).ToArray();
        var boxes = new float[Frames * 4];
        var mask = new bool[Frames];
        for (int t = 0; t < Frames; t++)
        {
            mask[t] = t < absentFrom || absentFrom == 0 || t > absentFrom + 3;
            float[] box = mask[t] ? [x, 0.2f, 0.2f, 0.4f] : [float.NaN, float.NaN, float.NaN, float.NaN];
            box.CopyTo(boxes, t * 4);
        }
        return new VideoFeatures
        {
            VideoId = video.VideoId,
            Visual = half ? FeatureMatrix.Of(values.Select(v => (Half)v).ToArray(), 3) : FeatureMatrix.Of(values, 3),
            VisualMask = mask,
            Audio = video.Audio,
            AudioMask = video.AudioMask,
            Timestamps = video.Timestamps,
            Meta = video.Meta,
            Person = id,
            Boxes = boxes,
            VoiceShare = [.. Enumerable.Range(0, Frames).Select(t => id == 1 ? 0.75f : 0.25f)],
        };
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryPersonIsWrittenAndReadBack(bool half)
    {
        using var dir = new TempFolder();
        var people = TwoPeople(half);
        string path = dir.File("talk.npz");
        FeatureFile.SavePeople(people, path);

        var arrays = NpzArchive.Read(path);
        Assert.Equal([2, Frames, 3], arrays["visual"].Shape);
        Assert.Equal([2, Frames, 4], arrays["boxes"].Shape);
        Assert.Equal(half ? NpyDType.Float16 : NpyDType.Float32, arrays["visual"].DType); // float16 stays float16
        var back = FeatureFile.LoadPeople(path);
        Assert.Equal(2, back.Count);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(people[i].Person, back[i].Person);
            Assert.Equal(people[i].Visual.ToSingles(), back[i].Visual.ToSingles());
            Assert.Equal(people[i].VisualMask, back[i].VisualMask);
            Assert.Equal(people[i].Boxes, back[i].Boxes);
            Assert.Equal(people[i].VoiceShare, back[i].VoiceShare);
            Assert.Equal(people[0].Audio.ToSingles(), back[i].Audio.ToSingles());
            Assert.Equal("talk", back[i].VideoId);
        }
        Assert.Same(back[0].Audio, back[1].Audio);
    }

    [Fact]
    public void AFileOfSeveralPersonsIsReadOnePersonAtATimeByName()
    {
        using var dir = new TempFolder();
        FeatureFile.SavePeople(TwoPeople(), dir.File("talk.npz"));

        var e = Assert.Throws<AffectFuseException>(() => FeatureFile.Load(dir.File("talk.npz")));
        Assert.Contains("holds 2 persons", e.Message);
        Assert.Contains("talk_left, talk_right", e.Message.Replace("talk_right, talk_left", "talk_left, talk_right"));

        // Aff-Wild2's label files of the two people find their person in the video's file: left is person 2 here.
        string labels = Directory.CreateDirectory(dir.File("labels")).FullName;
        foreach (string id in new[] { "talk_left", "talk_right" })
            ExprLabelFile.Write(Path.Combine(labels, id + ".txt"), Enumerable.Repeat(4, Frames).ToArray());
        var videos = DatasetLoader.LoadLabelled(new DatasetSource { FeaturesDir = dir.Path, LabelsDir = labels });
        Assert.Equal(["talk_left", "talk_right"], videos.Select(v => v.Features.VideoId));
        Assert.Equal([2, 1], videos.Select(v => v.Features.Person!.Value));
    }

    [Fact]
    public void AFolderOfFilesListsEachPersonByIdAndReadsThemForInference()
    {
        using var dir = new TempFolder();
        FeatureFile.SavePeople(TwoPeople(), dir.File("talk.npz"));
        FeatureFile.Save(TestFeatures.Make("solo", Frames, 3, 2), dir.File("solo.npz"));

        Assert.Equal(["talk_left", "talk_right"], FeatureFile.ClipIds(dir.File("talk.npz")).Order());
        Assert.Equal(["solo"], FeatureFile.ClipIds(dir.File("solo.npz")));
        // infer over the folder: one video per person, each read by its id.
        var source = new DatasetSource { FeaturesDir = dir.Path };
        Assert.Equal(["solo", "talk_left", "talk_right"], DatasetLoader.VideoIds(source));
        var left = DatasetLoader.LoadVideo(source, "talk_left");
        Assert.Equal((2, "talk_left"), (left.Person!.Value, left.VideoId));
        var e = Assert.Throws<AffectFuseException>(() => FeatureFile.LoadPerson(dir.File("talk.npz"), "talk_person3"));
        Assert.Contains("holds no person talk_person3", e.Message);
    }

    [Fact]
    public void AOneFaceFileReadsAsOnePerson()
    {
        using var dir = new TempFolder();
        var one = TestFeatures.Make("v", Frames, 3, 2);
        FeatureFile.Save(one, dir.File("solo.npz"));
        var people = FeatureFile.LoadPeople(dir.File("solo.npz"));
        var person = Assert.Single(people);
        Assert.Null(person.Person);
        Assert.Equal(one.Visual.ToSingles(), person.Visual.ToSingles());
    }
}
