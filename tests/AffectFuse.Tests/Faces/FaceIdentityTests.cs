using AffectFuse.Faces;
using AffectFuse.Faces.Nets.FaceApi;
using AffectFuse.Setup;
using OpenCvSharp;
using Xunit;
using Xunit.Abstractions;

namespace AffectFuse.Tests.Faces;

/// <summary>Who a face is (face-api's descriptor of the face as BlazeFace finds it): one person across sizes, places and
/// colours lies within 0.6; another person (scikit-image's cameraman) beyond it.</summary>
public sealed class FaceIdentityTests(ITestOutputHelper output)
{
    internal static FaceRecognitionNet Net => LoadedNet.Value;

    private static readonly Lazy<FaceRecognitionNet> LoadedNet = new(() => FaceRecognitionNet.Open(ModelStore.Open()));

    [Fact]
    public void OnePersonStaysWithinTheThresholdAndAnotherIsBeyondIt()
    {
        using var identity = new FaceIdentity(Net);
        var astronaut = Describe(identity, FaceScenes.Head(160), 220, 180);
        var smaller = Describe(identity, FaceScenes.Head(110), 420, 200);
        using var grayHead = FaceScenes.Head(140).CvtColor(ColorConversionCodes.BGR2GRAY).CvtColor(ColorConversionCodes.GRAY2BGR);
        var gray = Describe(identity, grayHead, 300, 170);
        using var cameraman = Cameraman(160);
        var other = Describe(identity, cameraman, 320, 180);
        float same1 = FaceIdentity.Distance(astronaut, smaller), same2 = FaceIdentity.Distance(astronaut, gray);
        float different = FaceIdentity.Distance(astronaut, other);
        output.WriteLine($"astronaut: 160 px vs 110 px {same1:F3}, vs gray {same2:F3}; astronaut vs cameraman {different:F3}");
        Assert.True(same1 < FaceIdentity.SamePerson && same2 < FaceIdentity.SamePerson, $"{same1:F3}, {same2:F3}");
        Assert.True(different > FaceIdentity.SamePerson, $"{different:F3}");
    }

    [Fact]
    public void ATinyFaceHasNoDescriptor()
    {
        using var identity = new FaceIdentity(Net);
        var face = new FaceDetection(new Rect2f(10, 10, 30, 30), 0.9f, new Point2f[FaceDetection.KeypointCount]);
        using var frame = new Mat(100, 100, MatType.CV_8UC3, Scalar.Gray);
        Assert.Null(identity.Of(frame, 0, face));
    }

    private static int _frames;

    private static float[] Describe(FaceIdentity identity, Mat head, int x, int y)
    {
        using var frame = FaceScenes.Background(640, 360);
        FaceScenes.Paste(frame, head, x, y);
        var face = FaceScenes.Detector.Detect(frame).MaxBy(d => d.Area);
        Assert.NotNull(face);
        return identity.Of(frame, Interlocked.Increment(ref _frames), face)!;
    }

    /// <summary>scikit-image's cameraman (camera.png, gray, 512 px), his head <paramref name="size"/> pixels square:
    /// another person than the astronaut.</summary>
    internal static Mat Cameraman(int size)
    {
        const string path = "/usr/lib/python3/dist-packages/skimage/data/camera.png";
        Assert.True(File.Exists(path), $"{path} missing; the setup installs it (apt-get install python3-skimage)");
        using var photo = Cv2.ImRead(path, ImreadModes.Color);
        using var head = new Mat(photo, new Rect(184, 104, 92, 92)); // his face (about 51 px wide) centred
        return head.Resize(new Size(size, size), 0, 0, InterpolationFlags.Cubic);
    }
}
