using AffectFuse.Benchmarks;
using AffectFuse.Tests.Faces;
using OpenCvSharp;
using Xunit;

namespace AffectFuse.Tests.Benchmarks;

public sealed class BlendshapeSanityBenchmarkTests
{
    [Fact]
    public void MeansArePerLabelOverTheFacesFound()
    {
        using var temp = new TempFolder();
        string images = temp.Folder(Path.Combine("faces", "images"));
        using (var head = FaceScenes.Head(250))
        {
            Cv2.ImWrite(Path.Combine(images, "smile.jpg"), head);
            using var flipped = head.Flip(FlipMode.Y);
            Cv2.ImWrite(Path.Combine(images, "smile2.jpg"), flipped);
        }
        using (var background = FaceScenes.Background(250, 250))
            Cv2.ImWrite(Path.Combine(images, "blank.jpg"), background);
        File.WriteAllText(Path.Combine(temp.Path, "faces", "labels.csv"),
            "image,emotion,identity,split\nsmile.jpg,happiness,a,train\nsmile2.jpg,happiness,a,train\nblank.jpg,neutral,b,test\n");

        var report = BlendshapeSanityBenchmark.Run(temp.Path);
        var happy = report.Classes[0];
        Assert.Equal(("happiness", 2, 2), (happy.Emotion, happy.Photos, happy.Faces));
        Assert.Equal(52, happy.Means.Count);
        Assert.True(happy.Means["mouthSmileLeft"] > 0.5 && happy.Means["mouthSmileRight"] > 0.5, $"smile {happy.Means["mouthSmileLeft"]:F3}");
        var blank = report.Classes[1];
        Assert.Equal(("neutral", 1, 0), (blank.Emotion, blank.Photos, blank.Faces));
        Assert.True(double.IsNaN(blank.Means["jawOpen"]));
        Assert.True(report.MedianMsPerFace > 0);
        Assert.Equal(0, report.Unreadable);

        // One split only.
        Assert.Equal(["neutral"], BlendshapeSanityBenchmark.Run(temp.Path, AffectFuse.Benchmarks.Compose.ComposeSplit.Test).Classes.Select(c => c.Emotion));
    }
}
