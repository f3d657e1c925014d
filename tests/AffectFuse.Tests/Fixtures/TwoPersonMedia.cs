using AffectFuse.Decoding;
using AffectFuse.Tests.Audio;
using AffectFuse.Tests.Decoding;
using AffectFuse.Tests.Faces;
using OpenCvSharp;

namespace AffectFuse.Tests.Fixtures;

/// <summary>A 6-second 640×360 25 fps two-person video with espeak-ng speech: the left face's mouth opens with the
/// speech's loudness (a dark mouth drawn between the lips) (it is the speaker), the right face (a gray look of the same photograph) moves its mouth just as
/// much but with the loudness of 1.4 s earlier, out of step with what is heard (a person talking without being heard).</summary>
public sealed class TwoPersonMedia : IDisposable
{
    public const int Width = 640, Height = 360, Fps = 25, Frames = 150, HeadSize = 150;
    public const int LeftX = 170, RightX = 470, HeadY = 180;
    private const int OutOfStepFrames = 35;
    private readonly TestMedia _media = new();

    public TwoPersonMedia()
    {
        string speech = _media.PathOf("speech.wav");
        AudioTestKit.Run("espeak-ng", "-w", speech,
            "Hello there, this is a test of who is speaking. The other person is quiet, and here is one more sentence for the test.");
        float[] loudness = Loudness(speech);
        Loudest = loudness.Max();
        string video = _media.PathOf("faces.mp4");
        using var background = FaceScenes.Background(Width, Height);
        using var plain = FaceScenes.Head(HeadSize);
        using var gray = plain.CvtColor(ColorConversionCodes.BGR2GRAY).CvtColor(ColorConversionCodes.GRAY2BGR);
        TestMedia.Encode(video, Enumerable.Range(0, Frames).Select(i =>
        {
            var frame = background.Clone();
            using var speaker = Talking(plain, loudness[i]);
            using var other = Talking(gray, loudness[(i + Frames - OutOfStepFrames) % Frames]);
            FaceScenes.Paste(frame, speaker, LeftX + (int)(6 * Math.Sin(i * 0.05)), HeadY);
            FaceScenes.Paste(frame, other, RightX, HeadY + (int)(5 * Math.Sin(i * 0.07)));
            return frame;
        }), Width, Height, Fps);
        Video = _media.PathOf("two-people.mp4");
        TestMedia.Ffmpeg($"-i \"{video}\" -i \"{speech}\" -map 0:v -map 1:a -c:v copy -c:a aac -af apad -t {Frames / Fps} \"{Video}\"");
        SpeechFrames = Enumerable.Range(0, Frames).Where(i => loudness[i] > 0.1f * Loudest).ToArray();
    }

    public string Video { get; }
    public string Folder => _media.Folder;

    /// <summary>Frames where the speech is louder than a tenth of its peak.</summary>
    public int[] SpeechFrames { get; }

    private float Loudest { get; }

    // RMS of the 16 kHz speech within ±20 ms of each frame's time (0 past its end).
    private static float[] Loudness(string wav)
    {
        float[] pcm = new AudioDecoder().DecodeAll(wav);
        var result = new float[Frames];
        for (int i = 0; i < Frames; i++)
        {
            int centre = i * AudioDecoder.SampleRate / Fps, half = AudioDecoder.SampleRate / 50;
            double sum = 0;
            int n = 0;
            for (int s = Math.Max(0, centre - half); s < Math.Min(pcm.Length, centre + half); s++, n++)
                sum += pcm[s] * pcm[s];
            result[i] = n == 0 ? 0 : (float)Math.Sqrt(sum / n);
        }
        return result;
    }

    // The head with its mouth opened by the loudness: a dark mouth between the lips, up to a tenth of the head tall.
    private Mat Talking(Mat head, float loudness)
    {
        var result = head.Clone();
        double open = Math.Min(1, loudness / (0.5 * Loudest + 1e-9));
        var centre = new Point((int)(0.50 * HeadSize), (int)(0.655 * HeadSize));
        var axes = new Size((int)(0.07 * HeadSize), Math.Max(1, (int)(0.05 * HeadSize * open)));
        Cv2.Ellipse(result, centre, axes, 0, 0, 360, new Scalar(40, 30, 60), -1, LineTypes.AntiAlias);
        return result;
    }

    public void Dispose() => _media.Dispose();
}
