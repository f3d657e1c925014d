using AffectFuse.Faces;
using OpenCvSharp;
using Xunit;

namespace AffectFuse.Tests.Faces;

public sealed class BlazeFaceTests
{
    [Theory]
    [InlineData(128, new[] { 8, 16, 16, 16 })]
    [InlineData(256, new[] { 16, 32, 32, 32 })]
    public void AnchorsFollowMediaPipesLayout(int size, int[] strides)
    {
        float[] a = BlazeFaceAnchors.Generate(size, strides);
        Assert.Equal(896 * 2, a.Length);
        // First map 16×16 with 2 anchors per cell, then one 8×8 map with 6 per cell (three same-stride layers).
        Assert.Equal((1 / 32f, 1 / 32f), (a[0], a[1]));
        Assert.Equal((1 / 32f, 1 / 32f), (a[2], a[3]));
        Assert.Equal((3 / 32f, 1 / 32f), (a[4], a[5]));
        int second = 512 * 2;
        for (int k = 0; k < 6; k++)
            Assert.Equal((1 / 16f, 1 / 16f), (a[second + 2 * k], a[second + 2 * k + 1]));
        Assert.Equal((3 / 16f, 1 / 16f), (a[second + 12], a[second + 13]));
        Assert.Equal((15 / 16f, 15 / 16f), (a[^2], a[^1]));
    }

    [Fact]
    public void WeightedNmsBlendsOverlapsAndKeepsSeparateFaces()
    {
        static FaceDetection D(float x, float score) =>
            new(new Rect2f(x, 10, 20, 20), score, Enumerable.Repeat(new Point2f(x, 10), 6).ToArray());
        var merged = NonMaxSuppression.Weighted([D(0, 0.9f), D(2, 0.6f), D(100, 0.7f)], 0.3f);
        Assert.Equal(2, merged.Count);
        Assert.Equal(0.9f, merged[0].Score);
        Assert.Equal((0 * 0.9f + 2 * 0.6f) / 1.5f, merged[0].Box.X, 4);
        Assert.Equal(merged[0].Box.X, merged[0].Keypoints[3].X, 4);
        Assert.Equal(100, merged[1].Box.X);
        var hard = NonMaxSuppression.Hard([D(0, 0.9f), D(2, 0.6f), D(100, 0.7f)], 0.3f);
        Assert.Equal([0f, 100f], hard.Select(d => d.Box.X));
    }

    [Theory]
    [InlineData(BlazeFaceModel.Back, 256)]
    [InlineData(BlazeFaceModel.Front, 128)]
    public void BothModelsFindThePhotographedFaceAndItsKeyPoints(object modelValue, int inputSize) // object: the enum is internal
    {
        var model = (BlazeFaceModel)modelValue;
        using var detector = new BlazeFaceDetector(new BlazeFaceOptions { Model = model });
        Assert.Equal(inputSize, detector.InputSize);
        Assert.Equal(896, detector.AnchorCount);
        // Wide frame: the letterbox adds bars top and bottom that must be undone.
        using var frame = FaceScenes.Background(800, 450);
        using var head = FaceScenes.Head(300);
        FaceScenes.Paste(frame, head, 520, 230);

        var faces = detector.Detect(frame);
        var face = Assert.Single(faces);
        Assert.True(face.Score > 0.7f, $"score {face.Score}");
        var c = face.Centre;
        Assert.InRange(c.X, 505, 535);
        Assert.InRange(c.Y, 215, 245);
        // Anatomy: eyes above nose above mouth; the subject's right eye on the image's left.
        Assert.True(face[FaceKeypoint.RightEye].X < face[FaceKeypoint.LeftEye].X);
        Assert.True(face[FaceKeypoint.RightEye].Y < face[FaceKeypoint.Nose].Y && face[FaceKeypoint.Nose].Y < face[FaceKeypoint.Mouth].Y);
        Assert.True(face[FaceKeypoint.RightEar].X < face[FaceKeypoint.RightEye].X && face[FaceKeypoint.LeftEar].X > face[FaceKeypoint.LeftEye].X);
    }

    [Fact]
    public void FaceFreeFrameGivesNoDetection()
    {
        using var frame = FaceScenes.Background(640, 480);
        Assert.Empty(FaceScenes.Detector.Detect(frame));
    }
}
