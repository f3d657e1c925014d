using AffectFuse.Audio;
using AffectFuse.Cli.Commands;
using AffectFuse.Data;
using AffectFuse.Decoding;
using AffectFuse.Features;
using AffectFuse.Features.Visual;
using AffectFuse.Faces.Nets.MediaPipe;
using Xunit;
using AffectFuse.Tests.Fixtures;

namespace AffectFuse.Tests.Features;

/// <summary>The MediaPipe blendshape group in <c>extract</c>, in the pipeline and on the live path.</summary>
[Collection(PipelineMediaCollection.Name)]
public class BlendshapeExtractionTests(PipelineMedia media)
{
    private static readonly ExtractionOptions Options = new() { Visual = VisualFeatureGroups.Blendshapes, Audio = AudioFeatureGroups.Prosody };

    private static int Column(string name) => BlendshapeColumns.Columns.ToList().IndexOf(name);

    // Face rows: 52 scores in [0, 1], the astronaut's smile on top on average; rows without a face: zeros.
    private static void AssertScores(VideoFeatures f)
    {
        float[] v = f.Visual.ToSingles();
        int faces = 0;
        double smile = 0, jaw = 0;
        for (int t = 0; t < f.FrameCount; t++)
        {
            var row = v.AsSpan(t * 52, 52);
            if (!f.VisualMask[t])
            {
                Assert.True(row.ToArray().All(x => x == 0), $"frame {t} has no face but a non-zero row");
                continue;
            }
            Assert.All(row.ToArray(), x => Assert.InRange(x, 0f, 1f));
            faces++;
            smile += (row[Column("bs_mouthSmileLeft")] + row[Column("bs_mouthSmileRight")]) / 2;
            jaw += row[Column("bs_jawOpen")];
        }
        Assert.True(faces > 100, $"{faces} face frames");
        Assert.True(smile / faces > 0.5 && smile > 3 * jaw, $"mean smile {smile / faces:F3}, jaw open {jaw / faces:F3}");
    }

    [Fact]
    public void ExtractWithVisualBlendshapesWritesTheFiftyTwoScoresAndRecordsTheGroup()
    {
        string outDir = Path.Combine(media.Folder, "extract-bs-" + Guid.NewGuid().ToString("N")[..8]);
        var (code, error) = CommandLine.Run(ExtractCommand.Create(), media.Video, "--out", outDir, "--visual", "blendshapes", "--audio", "prosody");
        Assert.Equal(0, code);
        Assert.DoesNotContain("error:", error);
        var f = FeatureFile.Load(Path.Combine(outDir, Path.GetFileNameWithoutExtension(media.Video) + ".npz"));
        Assert.Equal(("mediapipe-blendshapes", BlendshapeColumns.FeatureVersion), (f.Meta.VisualFeatures, f.Meta.VisualVersion));
        Assert.Equal(52, f.VisualDim);
        Assert.Equal(media.Features.VisualMask, f.VisualMask);
        AssertScores(f);
    }

    [Fact]
    public void TheLivePathGivesTheFilesRowsBitForBit()
    {
        using var pipeline = new FeatureExtractionPipeline(Options);
        var file = pipeline.Extract(media.Video);
        using var decoder = VideoDecoder.Open(media.Video);
        var frames = decoder.ReadFrames().Select(f => new LiveFrame(f, 0));
        var live = pipeline.ExtractLive(frames, null, Options.DetectEvery - 1, 0).ToList();
        Assert.Equal(file.FrameCount, live.Count);
        float[] rows = file.Visual.ToSingles();
        for (int t = 0; t < live.Count; t++)
        {
            Assert.Equal(file.VisualMask[t], live[t].FacePresent);
            Assert.Equal(rows.AsSpan(t * 52, 52).ToArray(), live[t].Visual);
        }
        AssertScores(file);
    }
}
