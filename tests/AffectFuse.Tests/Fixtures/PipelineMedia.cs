using AffectFuse.Features.Visual;
using AffectFuse.Features.Sets;
using AffectFuse.Training;
using AffectFuse.Model;
using AffectFuse.Inference;
using System.Globalization;
using AffectFuse.Data;
using AffectFuse.Features;
using AffectFuse.Tests.Decoding;
using AffectFuse.Tests.Faces;

namespace AffectFuse.Tests.Fixtures;

/// <summary>An 8-second 640×480 25 fps H.264 + AAC video, made with ffmpeg: the astronaut's head drifting over a noisy
/// background, leaving the frame for frames 50–90 and 160–175, and two espeak-ng sentences with silences around them;
/// the same video without its audio track; and the features of both, extracted once.</summary>
public sealed class PipelineMedia : IDisposable
{
    public const int Width = 640, Height = 480, Fps = 25, Frames = 200;
    public const double Speech1Start = 0.5, Speech2Start = 5.2;
    private readonly TestMedia _media = new();

    public PipelineMedia()
    {
        string s1 = _media.PathOf("s1.wav"), s2 = _media.PathOf("s2.wav");
        Run("espeak-ng", "-w", s1, "Hello there, this is a short test of the speech detector.");
        Run("espeak-ng", "-w", s2, "And here is another sentence after a pause.");
        Speech1 = (Speech1Start, Speech1Start + Duration(s1));
        Speech2 = (Speech2Start, Speech2Start + Duration(s2));

        Video = _media.PathOf("talking.mp4");
        string inv(double v) => v.ToString(CultureInfo.InvariantCulture);
        // Face absent on frames 50..90 and 160..175 (boundaries between frame times, so each frame is unambiguous).
        TestMedia.Ffmpeg(
            $"-f lavfi -i color=c=0x506070:s={Width}x{Height}:r={Fps}:d=8 -loop 1 -framerate {Fps} -i \"{FaceScenes.AstronautPath}\" -i \"{s1}\" -i \"{s2}\" " +
            "-filter_complex \"[0]noise=alls=12:allf=t[bg];[1]crop=184:184:132:34,scale=160:160[h];" +
            "[bg][h]overlay=x='if(between(t,1.98,3.62)+between(t,6.38,7.02),-1000,160+25*t)':y='150+12*sin(2*t)':shortest=1[v];" +
            $"[2]adelay={inv(Speech1Start * 1000)}:all=1[a1];[3]adelay={inv(Speech2Start * 1000)}:all=1[a2];[a1][a2]amix=inputs=2:normalize=0,apad[a]\" " +
            $"-map \"[v]\" -map \"[a]\" -t 8 -c:v libx264 -preset ultrafast -crf 20 -pix_fmt yuv420p -c:a aac -b:a 96k \"{Video}\"");
        Silent = _media.PathOf("silent.mp4");
        TestMedia.Ffmpeg($"-i \"{Video}\" -map 0:v -c copy -an \"{Silent}\"");

        using var pipeline = new FeatureExtractionPipeline();
        Features = pipeline.Extract(Video);
        Statistics = pipeline.LastStatistics!;
        SilentFeatures = pipeline.Extract(Silent);
    }

    public string Folder => _media.Folder;
    public string Video { get; }
    public string Silent { get; }
    public (double Start, double End) Speech1 { get; }
    public (double Start, double End) Speech2 { get; }
    public VideoFeatures Features { get; }
    public VideoFeatures SilentFeatures { get; }
    public ExtractionStatistics Statistics { get; }

    public static bool FaceExpected(int frame) => !(frame is >= 50 and <= 90 or >= 160 and <= 175);

    /// <summary>Frames ffmpeg itself decodes from the video stream.</summary>
    public static int CountFrames(string video) => int.Parse(
        Run("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", video).Trim(),
        CultureInfo.InvariantCulture);

    public string PathOf(string name) => _media.PathOf(name);

    private static double Duration(string file) => double.Parse(
        Run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file).Trim(), CultureInfo.InvariantCulture);

    private static string Run(string program, params string[] args) => AffectFuse.Tests.Audio.AudioTestKit.Run(program, args);

    /// <summary>A RANDOMLY INITIALISED model saved as a checkpoint: for plumbing tests, not prediction quality. Without
    /// widths it reads (and records) the default extraction's feature set; with widths it records none.</summary>
    public string RandomCheckpoint(int? visualDim = null, int? audioDim = null)
    {
        var extraction = new ExtractionOptions();
        bool defaults = visualDim is null && audioDim is null;
        int dv = visualDim ?? VisualFeatureLayout.Width(extraction.Visual), da = audioDim ?? AudioFeatureSets.Width(extraction.Audio);
        string path = PathOf($"random-{dv}-{da}-{Guid.NewGuid():N}.ckpt");
        TorchSharp.torch.manual_seed(7);
        var options = new ModelOptions
        {
            VisualDim = dv, AudioDim = da, Width = 32, Heads = 2, SelfLayers = 1, CrossLayers = 1, FeedForward = 64,
            VisualFeatures = defaults ? VisualFeatureLayout.Id(extraction.Visual) : null,
            AudioFeatures = defaults ? AudioFeatureSets.Id(extraction.Audio) : null,
        };
        using var model = new AffectFuseModel(options);
        Checkpoint.Save(path, model, new TrainOptions { Model = options, Validation = new InferenceOptions { Window = 64, Stride = 16 } }, new CheckpointState(0, 0, 0));
        return path;
    }

    public void Dispose() => _media.Dispose();
}

/// <summary>Shares one <see cref="PipelineMedia"/> (and its extraction) between the pipeline test classes.</summary>
[Xunit.CollectionDefinition(Name)]
public sealed class PipelineMediaCollection : Xunit.ICollectionFixture<PipelineMedia>
{
    public const string Name = "pipeline media";
}
