using AffectFuse.Data;
using AffectFuse.Data.Synthetic;
using AffectFuse.Inference;
using AffectFuse.Model;
using AffectFuse.Tests.Decoding;
using AffectFuse.Training;

namespace AffectFuse.Tests.Hostile;

/// <summary>A small synthetic data set, a checkpoint that fits it, and damaged copies of its files, made once for the
/// hostile-input tests. Everything is generated; nothing needs ../shared.</summary>
public sealed class HostileFiles : IDisposable
{
    private readonly TempFolder _dir = new();

    public HostileFiles()
    {
        Data = _dir.Folder("syn");
        var summary = SyntheticDataset.Generate(new SyntheticOptions { TrainVideos = 3, ValidationVideos = 2, TwoPersonPairs = 0, MinFrames = 80, MaxFrames = 120 }, Data);
        Features = summary.FeaturesDir;
        Labels = summary.ValidationLabelsDir;
        Checkpoint = _dir.File("model.ckpt");
        var model = new ModelOptions { VisualDim = 32, AudioDim = 24, Width = 16, Heads = 2, SelfLayers = 1, CrossLayers = 1, FeedForward = 32 };
        TorchSharp.torch.manual_seed(3);
        using (var m = new AffectFuseModel(model))
            AffectFuse.Training.Checkpoint.Save(Checkpoint, m, new TrainOptions { Model = model, Validation = new InferenceOptions { Window = 32, Stride = 16 } }, new CheckpointState(0, 0, 0));

        EmptyFolder = _dir.Folder("empty");
        Junk = _dir.File("junk.bin");
        File.WriteAllBytes(Junk, [.. Enumerable.Range(0, 300).Select(i => (byte)(i * 37))]);
        Empty = _dir.File("empty.mp4");
        File.WriteAllBytes(Empty, []);
        AFile = _dir.File("a-file.txt");
        File.WriteAllText(AFile, "not a folder\n");
        Video = _dir.File("clip.mp4");
        TestMedia.Ffmpeg($"-f lavfi -i testsrc=size=160x120:rate=25 -f lavfi -i sine=frequency=300:sample_rate=16000 -t 2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac \"{Video}\"");
        Sound = _dir.File("sound.wav");
        TestMedia.Ffmpeg($"-f lavfi -i sine=frequency=300:sample_rate=16000 -t 1 \"{Sound}\"");
        TextWav = _dir.File("x.wav");
        File.WriteAllText(TextWav, "a text file, named like sound\n");
        string srt = _dir.File("subtitles.srt");
        File.WriteAllText(srt, "1\n00:00:00,000 --> 00:00:01,000\nhello\n");
        Subtitles = _dir.File("subtitles.mkv");
        TestMedia.Ffmpeg($"-i \"{srt}\" \"{Subtitles}\"");
        Pipe = _dir.File("pipe.mp4");
        AffectFuse.Tests.Audio.AudioTestKit.Run("mkfifo", Pipe);
    }

    /// <summary>Root of the synthetic set (Aff-Wild2 layout).</summary>
    public string Data { get; }

    /// <summary>Its feature folder.</summary>
    public string Features { get; }

    /// <summary>Its validation labels.</summary>
    public string Labels { get; }

    /// <summary>A random model of the set's widths.</summary>
    public string Checkpoint { get; }

    public string EmptyFolder { get; }
    public string Junk { get; }
    public string Empty { get; }
    public string AFile { get; }
    public string Video { get; }
    public string Sound { get; }
    public string TextWav { get; }
    public string Subtitles { get; }
    public string Pipe { get; }

    /// <summary>A path inside the scratch folder.</summary>
    public string PathOf(string name) => _dir.File(name);

    /// <summary>A copy of the feature folder with <paramref name="damage"/> applied to the features of its first video.</summary>
    public string DamagedFeatures(string name, Func<VideoFeatures, Arrays> damage)
    {
        string dir = _dir.Folder(name);
        foreach (string f in Directory.GetFiles(Features, "*.npz"))
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        string first = Directory.GetFiles(dir, "*.npz").Order(StringComparer.Ordinal).First();
        var damaged = damage(FeatureFile.Load(first));
        NpzArchive.Write(first,
        [
            ("visual", damaged.Visual.ToNpy()),
            ("visual_mask", NpyArray.Of(damaged.VisualMask, damaged.VisualMask.Length)),
            ("audio", damaged.Audio.ToNpy()),
            ("audio_mask", NpyArray.Of(damaged.AudioMask, damaged.AudioMask.Length)),
            ("timestamps", NpyArray.Of(damaged.Timestamps, damaged.Timestamps.Length)),
        ], compressed: false);
        return dir;
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>The arrays of a feature file.</summary>
    public sealed record Arrays(FeatureMatrix Visual, bool[] VisualMask, FeatureMatrix Audio, bool[] AudioMask, double[] Timestamps)
    {
        public static Arrays Of(VideoFeatures v) => new(v.Visual, v.VisualMask, v.Audio, v.AudioMask, v.Timestamps);
    }
}
