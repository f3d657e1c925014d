using AffectFuse.Cli.Commands;
using AffectFuse.Data;
using AffectFuse.Tests.Decoding;
using Xunit;
using AffectFuse.Tests.Fixtures;

namespace AffectFuse.Tests.Cli;

[Collection(PipelineMediaCollection.Name)]
public class ExtractCommandTests(PipelineMedia media, TwoPersonMedia two) : IClassFixture<TwoPersonMedia>
{
    private static (int Code, string Error) Run(params string[] args) => CommandLine.Run(ExtractCommand.Create(), args);

    [Fact]
    public void EveryFaceWritesOneFileWithAPersonAxisThatAResumeReadsBack()
    {
        string outDir = Path.Combine(media.Folder, "extract-all-" + Guid.NewGuid().ToString("N")[..8]);
        var (code, error) = Run(two.Video, "--out", outDir, "--face", "all");
        Assert.Equal(0, code);
        Assert.DoesNotContain("error:", error);
        string output = Path.Combine(outDir, "two-people.npz");
        Assert.Equal(3, NpzArchive.Read(output)["visual"].Rank);
        var people = FeatureFile.LoadPeople(output);
        Assert.Equal([1, 2], people.Select(p => p.Person!.Value));
        Assert.Equal(["two-people_left", "two-people_right"], FeatureFile.PersonIds(output, people));

        var written = File.GetLastWriteTimeUtc(output);
        (code, _) = Run(two.Video, "--out", outDir, "--face", "all");
        Assert.Equal(0, code);
        Assert.Equal(written, File.GetLastWriteTimeUtc(output)); // read back whole, so not done again
    }

    [Fact]
    public void ACorruptVideoIsReportedTheOthersAreWrittenAndExistingOutputsAreSkipped()
    {
        string input = Path.Combine(media.Folder, "extract-in-" + Guid.NewGuid().ToString("N")[..8]);
        string outDir = Path.Combine(media.Folder, "extract-out-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(input);
        string good = Path.Combine(input, "good.mp4"), corrupt = Path.Combine(input, "corrupt.mp4");
        TestMedia.Ffmpeg($"-i \"{media.Video}\" -t 2 -c copy \"{good}\"");
        // The head of a real file with the rest cut: an mp4 whose index (moov atom) is missing.
        File.WriteAllBytes(corrupt, File.ReadAllBytes(media.Video)[..4000]);
        File.WriteAllText(Path.Combine(input, "readme.txt"), "not scanned");

        var (code, error) = Run(input, "--out", outDir);
        Assert.Equal(ExtractCommand.SomeFailed, code);
        Assert.Contains($"error: {corrupt}: ", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:"));
        string goodOut = Path.Combine(outDir, "good.npz");
        var features = FeatureFile.Load(goodOut);
        Assert.Equal(PipelineMedia.CountFrames(good), features.FrameCount);
        Assert.False(File.Exists(Path.Combine(outDir, "corrupt.npz")));
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp", SearchOption.AllDirectories));

        // Resume: the existing output is not recomputed (or touched); the corrupt one still fails.
        var written = File.GetLastWriteTimeUtc(goodOut);
        File.SetLastWriteTimeUtc(goodOut, written.AddMinutes(-5));
        (code, error) = Run(input, "--out", outDir);
        Assert.Equal(ExtractCommand.SomeFailed, code);
        Assert.Equal(written.AddMinutes(-5), File.GetLastWriteTimeUtc(goodOut));

        File.Delete(corrupt);
        (code, error) = Run(input, "--out", outDir);
        Assert.Equal(0, code);
        Assert.Equal("", error);
    }

    [Fact]
    public void LeftAndRightFacesGetAffWild2Names()
    {
        Assert.Equal(Path.Combine("o", "10-60-1280x720_left.npz"), ExtractCommand.OutputPath("o", "/v/10-60-1280x720.mp4", AffectFuse.Faces.FaceSelection.Left));
        Assert.Equal(Path.Combine("o", "v1.npz"), ExtractCommand.OutputPath("o", "/v/v1.avi", AffectFuse.Faces.FaceSelection.Largest));
    }

    [Theory]
    [InlineData("--detect-every", "0", "error: --detect-every: must be at least 1, got 0")]
    [InlineData("--face-every", "-2", "error: --face-every: must be at least 1, got -2")]
    [InlineData("--batch-size", "0", "error: --batch-size: must be between 1 and 4096, got 0")]
    [InlineData("--max-size", "10", "error: --max-size: must be between 64 and 65536, got 10")]
    [InlineData("--visual", "minixception,beit", "error: --visual: unknown visual feature group 'beit'; choose from minixception, faceapi, landmarks, blendshapes, all")]
    [InlineData("--audio", "", "error: --audio: name at least one audio feature group (prosody, embedding, all)")]
    public void ABadOptionIsOneLineNamingItBeforeAnyVideoIsRead(string option, string value, string expected)
    {
        string outDir = Path.Combine(media.Folder, "extract-bad-" + Guid.NewGuid().ToString("N")[..8]);
        var (code, error) = Run(media.Video, "--out", outDir, option, value);
        Assert.Equal(2, code);
        Assert.Equal(expected, error.Trim());
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any());
    }
}
