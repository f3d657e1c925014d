using AffectFuse.Faces.Nets.MediaPipe;
using Xunit;

namespace AffectFuse.Tests.Faces.Nets.MediaPipe;

public sealed class MediaPipeAssetsTests
{
    private static string Copy(TempFolder temp)
    {
        string folder = temp.Folder("mediapipe");
        foreach (string name in MediaPipeAssets.Pins.Keys)
            File.Copy(Path.Combine(MediaPipeAssets.DefaultFolder, name), Path.Combine(folder, name));
        return folder;
    }

    [Fact]
    public void TheShippedFilesAreBesideTheLibraryAndMatchTheirPins()
    {
        var assets = new MediaPipeAssets();
        foreach (string name in MediaPipeAssets.Pins.Keys)
            Assert.Equal(Path.Combine(MediaPipeAssets.DefaultFolder, name), assets.Require(name));
        Assert.Equal(146, assets.LandmarkSubset().Length);
        Assert.Equal(BlendshapeColumns.Names, assets.BlendshapeNames());
        foreach (string licence in new[] { "LICENSE.mediapipe", "LICENSE.FaceLandmarkBarracuda", "LICENSE.IrisBarracuda", "README.md" })
            Assert.True(File.Exists(Path.Combine(MediaPipeAssets.DefaultFolder, licence)), licence);
    }

    [Theory]
    [InlineData(MediaPipeAssets.FaceMeshFile)]
    [InlineData(MediaPipeAssets.IrisFile)]
    [InlineData(MediaPipeAssets.BlendshapeFile)]
    [InlineData(MediaPipeAssets.LandmarkSubsetFile)]
    public void AFileThatIsNotThePinnedOneIsRefusedWithOneLine(string name)
    {
        using var temp = new TempFolder();
        string folder = Copy(temp);
        string path = Path.Combine(folder, name);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 1; // one bit
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<AffectFuseException>(() => new FaceBlendshapes(new MediaPipeAssets(folder)));
        Assert.Equal(path, e.File);
        Assert.Matches($"^SHA-256 [0-9a-f]{{64}} is not the pinned {MediaPipeAssets.Pins[name]}; refusing to load it$", e.Problem);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        using var temp = new TempFolder();
        string folder = Copy(temp);
        File.Delete(Path.Combine(folder, MediaPipeAssets.IrisFile));
        var e = Assert.Throws<AffectFuseException>(() => new FaceBlendshapes(new MediaPipeAssets(folder)));
        Assert.Equal(Path.Combine(folder, MediaPipeAssets.IrisFile), e.File);
        Assert.StartsWith("MediaPipe model file not found", e.Problem);
    }
}
