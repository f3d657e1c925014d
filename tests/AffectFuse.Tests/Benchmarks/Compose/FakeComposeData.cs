using System.Text;
using AffectFuse.Benchmarks.Compose;
using OpenCvSharp;

namespace AffectFuse.Tests.Benchmarks.Compose;

/// <summary>A tiny data folder in the layout of ../shared/data: drawn face photographs in faces/ (labels.csv with all
/// three splits, one photo stored as WebP under a .jpg name) and tone "utterances" in emodb/wav named SSTTTEV.wav.</summary>
internal static class FakeComposeData
{
    public static readonly Dictionary<ComposeSplit, string[]> Identities = new()
    {
        [ComposeSplit.Train] = ["Train_Person_A", "Train_Person_B"],
        [ComposeSplit.Validation] = ["Val_Person_A"],
        [ComposeSplit.Test] = ["Test_Person_A"],
    };

    public static readonly Dictionary<ComposeSplit, string[]> Speakers = new()
    {
        [ComposeSplit.Train] = ["03", "08"],
        [ComposeSplit.Validation] = ["12"],
        [ComposeSplit.Test] = ["15"],
    };

    /// <summary>Classes with material in every split: neutral, anger, happiness, surprise (face only), contempt/boredom.</summary>
    public static readonly double[] Prior = [1, 1, 0, 0, 1, 0, 1, 1];

    public const double UtteranceSeconds = 1.0;
    public const int SampleRate = 22050;

    /// <summary>Options for tiny clips: 160×120, 3 s, segments of 1–2 s.</summary>
    public static ComposeOptions TinyOptions(int seed = 1) => new()
    {
        Seed = seed, TrainClips = 1, ValidationClips = 1, TestClips = 1,
        MinClipSeconds = 3, MaxClipSeconds = 3, MinSegmentSeconds = 1, MaxSegmentSeconds = 2,
        MinAbsentSeconds = 0.4, MaxAbsentSeconds = 0.8,
        Width = 160, Height = 120, ClassPrior = Prior, ClassFloor = 0,
        TrainSpeakers = Speakers[ComposeSplit.Train], ValidationSpeakers = Speakers[ComposeSplit.Validation], TestSpeakers = Speakers[ComposeSplit.Test],
    };

    public static string Create(string root)
    {
        string images = Path.Combine(root, "faces", "images");
        Directory.CreateDirectory(images);
        var csv = new StringBuilder("image,emotion,identity,split\n");
        string[] emotions = ["neutral", "anger", "happiness", "surprise", "contempt"];
        int n = 0;
        foreach (var (split, ids) in Identities)
            foreach (string id in ids)
                for (int e = 0; e < emotions.Length; e++, n++)
                {
                    string file = $"{id}_{e:D4}.jpg";
                    using var face = DrawFace(e, n);
                    // One ".jpg" is really WebP, as in the real data set: the loader must decode by content.
                    string ext = n == 3 ? ".webp" : ".jpg";
                    File.WriteAllBytes(Path.Combine(images, file), face.ImEncode(ext));
                    string splitName = split switch { ComposeSplit.Train => "train", ComposeSplit.Validation => "val", _ => "test" };
                    csv.Append($"{file},{emotions[e]},{id},{splitName}\n");
                }
        File.WriteAllText(Path.Combine(root, "faces", "labels.csv"), csv.ToString());

        string wav = Path.Combine(root, "emodb", "wav");
        Directory.CreateDirectory(wav);
        string letters = "NWFL"; // neutral, anger, happiness, boredom
        foreach (string speaker in Speakers.Values.SelectMany(s => s))
            for (int l = 0; l < letters.Length; l++)
                for (int take = 0; take < 2; take++)
                    WriteTone(Path.Combine(wav, $"{speaker}a0{take + 1}{letters[l]}a.wav"), 200 + 60 * l + 10 * take);
        return root;
    }

    private static Mat DrawFace(int expression, int seed)
    {
        var img = new Mat(100, 90, MatType.CV_8UC3, new Scalar(200 - seed % 50, 180, 160));
        Cv2.Ellipse(img, new Point(45, 50), new Size(30, 40), 0, 0, 360, new Scalar(140, 170, 220), -1);
        Cv2.Circle(img, new Point(33, 42), 4, Scalar.Black, -1);
        Cv2.Circle(img, new Point(57, 42), 4, Scalar.Black, -1);
        Cv2.Ellipse(img, new Point(45, 70), new Size(12, 3 + 3 * expression), 0, 0, 180, Scalar.Black, 2);
        return img;
    }

    /// <summary>A 16-bit PCM mono WAV: a tone with a smooth envelope, like a short voiced utterance.</summary>
    public static void WriteTone(string path, double hz, double seconds = UtteranceSeconds, int rate = SampleRate)
    {
        int count = (int)(seconds * rate);
        using var w = new BinaryWriter(File.Create(path));
        w.Write("RIFF"u8); w.Write(36 + 2 * count); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(rate); w.Write(rate * 2); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(2 * count);
        for (int i = 0; i < count; i++)
            w.Write((short)(12000 * Math.Sin(Math.PI * i / count) * Math.Sin(2 * Math.PI * hz * i / rate)));
    }
}
