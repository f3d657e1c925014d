using AffectFuse.Audio;
using AffectFuse.Benchmarks.Compose;
using OpenCvSharp;
using Xunit;

namespace AffectFuse.Tests.Benchmarks.Compose;

public sealed class ComposeInputTests
{
    [Fact]
    public void MissingLabelsCsvIsAnErrorNamingIt()
    {
        using var tmp = new TempFolder();
        string data = FakeComposeData.Create(tmp["data"]);
        string csv = Path.Combine(data, "faces", "labels.csv");
        File.Delete(csv);
        var e = Assert.Throws<AffectFuseException>(() => new BenchmarkComposer(data, tmp["out"], FakeComposeData.TinyOptions()).Run());
        Assert.Equal(csv, e.File);
        Assert.StartsWith(csv + ": ", e.Message);
        Assert.False(Directory.Exists(tmp["out"]), "nothing is written when the input is bad");
    }

    [Fact]
    public void MissingDataFolderIsAnErrorNamingIt()
    {
        using var tmp = new TempFolder();
        var e = Assert.Throws<AffectFuseException>(() => new BenchmarkComposer(tmp["nowhere"], tmp["out"], FakeComposeData.TinyOptions()).Plan());
        Assert.Equal(tmp["nowhere"], e.File);
    }

    [Fact]
    public void UndecodableImageIsAnErrorNamingItAndLeavesNoVideo()
    {
        using var tmp = new TempFolder();
        string data = FakeComposeData.Create(tmp["data"]);
        var options = FakeComposeData.TinyOptions() with { ValidationClips = 0, TestClips = 0 };
        var plan = new BenchmarkComposer(data, tmp["out"], options).Plan();
        string bad = Path.Combine(data, "faces", "images", plan.Clips[0].Segments[0].FaceImage);
        File.WriteAllText(bad, "this is not an image");
        var e = Assert.Throws<AffectFuseException>(() => new BenchmarkComposer(data, tmp["out"], options).Run());
        Assert.Equal(bad, e.File);
        Assert.Empty(Directory.EnumerateFiles(tmp["out"], "*.mp4", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(tmp["out"], "*.tmp*", SearchOption.AllDirectories));
    }

    [Fact]
    public void UnknownEmotionInLabelsCsvNamesFileAndLine()
    {
        using var tmp = new TempFolder();
        string data = FakeComposeData.Create(tmp["data"]);
        string csv = Path.Combine(data, "faces", "labels.csv");
        var lines = File.ReadAllLines(csv);
        lines[2] = lines[2].Replace(",anger,", ",furious,");
        File.WriteAllLines(csv, lines);
        var e = Assert.Throws<AffectFuseException>(() => FaceCatalogue.Load(Path.Combine(data, "faces")));
        Assert.Equal(csv, e.File);
        Assert.Contains("line 3", e.Message);
    }

    [Fact]
    public void BadEmoDbNameIsAnErrorNamingIt()
    {
        using var tmp = new TempFolder();
        string data = FakeComposeData.Create(tmp["data"]);
        string odd = Path.Combine(data, "emodb", "wav", "hello.wav");
        FakeComposeData.WriteTone(odd, 300);
        var e = Assert.Throws<AffectFuseException>(() => UtteranceCatalogue.Load(Path.Combine(data, "emodb")));
        Assert.Equal(odd, e.File);
    }

    [Fact]
    public void ImagesAreDecodedByContentSoWebPNamedJpgLoads()
    {
        using var tmp = new TempFolder();
        using var image = new Mat(40, 30, MatType.CV_8UC3, new Scalar(10, 120, 240));
        string path = tmp["looks_like.jpg"];
        File.WriteAllBytes(path, image.ImEncode(".webp"));
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path), 0, 4));
        using var loaded = FaceImageLoader.Load(path);
        Assert.Equal(new Size(30, 40), loaded.Size());
        Assert.InRange(loaded.At<Vec3b>(20, 15).Item2, 220, 255);
    }

    [Fact]
    public void WavReaderReturnsTheWrittenSamples()
    {
        using var tmp = new TempFolder();
        string path = tmp["03a01Na.wav"];
        FakeComposeData.WriteTone(path, 440, seconds: 0.5, rate: 16000);
        var (samples, rate) = WavFile.Read(path);
        Assert.Equal(16000, rate);
        Assert.Equal(8000, samples.Length);
        int i = 1234;
        double expected = 12000 * Math.Sin(Math.PI * i / 8000) * Math.Sin(2 * Math.PI * 440 * i / 16000) / 32768;
        Assert.Equal(expected, samples[i], 3);
        Assert.Equal(0.5, WavFile.ReadInfo(path).Seconds, 6);
    }

    [Fact]
    public void InvalidOptionsAreRejectedWithTheSetting()
    {
        var e = Assert.Throws<AffectFuseException>(() => (FakeComposeData.TinyOptions() with { Width = 161 }).Validate());
        Assert.Contains("161x120", e.Message);
        Assert.Throws<AffectFuseException>(() => (FakeComposeData.TinyOptions() with { ClassPrior = [1, 2, 3] }).Validate());
        Assert.Throws<AffectFuseException>(() => (FakeComposeData.TinyOptions() with { TestSpeakers = ["03"] }).Validate());
    }
}
