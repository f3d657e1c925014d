using AffectFuse.Audio;
using AffectFuse.Decoding;
using Xunit;
using L = AffectFuse.Audio.AudioFeatureLayout;

namespace AffectFuse.Tests.Audio;

/// <summary>Media files made with ffmpeg's lavfi sources; shared by the decoder tests.</summary>
public sealed class GeneratedMedia : IDisposable
{
    private readonly TempFolder _folder = new();

    public string WithAudio { get; }     // 2 s testsrc video + 2 s 440 Hz sine at 44.1 kHz stereo, mp4
    public string WithoutAudio { get; }  // 2 s testsrc video only, mkv
    public string Corrupt { get; }       // random bytes named .mp4

    public GeneratedMedia()
    {
        WithAudio = _folder.File("tone.mp4");
        AudioTestKit.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=2:size=160x120:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=2:sample_rate=44100", "-ac", "2",
            "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", WithAudio);
        WithoutAudio = _folder.File("silent video.mkv");
        AudioTestKit.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=2:size=160x120:rate=25",
            "-c:v", "libx264", "-preset", "ultrafast", WithoutAudio);
        Corrupt = _folder.File("corrupt.mp4");
        var bytes = new byte[20000];
        new Random(5).NextBytes(bytes);
        File.WriteAllBytes(Corrupt, bytes);
    }

    public string Folder => _folder.Path;

    public void Dispose() => _folder.Dispose();
}

public class AudioDecoderTests : IClassFixture<GeneratedMedia>
{
    private readonly GeneratedMedia _media;
    private readonly AudioDecoder _decoder = new();

    public AudioDecoderTests(GeneratedMedia media) => _media = media;

    [Fact]
    public void DecodesTheAudioTrackTo16kHzMonoWithItsPitch()
    {
        Assert.True(_decoder.HasAudioTrack(_media.WithAudio));
        float[]? pcm = _decoder.DecodeAll(_media.WithAudio);
        Assert.NotNull(pcm);
        // 2 s at 16 kHz; AAC adds at most a frame of priming/padding.
        Assert.InRange(pcm!.Length, 32000 - 1024, 32000 + 2048);
        float[] middle = pcm[8000..24000];
        double rms = Math.Sqrt(middle.Average(v => (double)v * v));
        Assert.InRange(rms, 0.05, 0.5); // lavfi sine is 1/8 full scale: RMS ≈ 0.088
        float[] rows = FrameDescriptorAnalyzer.AnalyzeAll(middle);
        var f0 = Enumerable.Range(5, rows.Length / L.DescriptorCount - 10).Select(i => Math.Exp(rows[i * L.DescriptorCount + L.LogF0])).ToArray();
        Assert.All(f0, f => Assert.InRange(f, 440 * 0.99, 440 * 1.01));
    }

    [Fact]
    public void StreamedChunksEqualTheWholeDecode()
    {
        float[] whole = _decoder.DecodeAll(_media.WithAudio)!;
        using var reader = _decoder.Open(_media.WithAudio)!;
        var chunks = reader.ReadChunks(1000).ToList();
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(1000, c.Length));
        Assert.Equal(whole, chunks.SelectMany(c => c).ToArray());
        Assert.Equal(whole.Length, reader.SamplesRead);
    }

    [Fact]
    public void FileWithoutAudioTrackIsNoAudioNotAnError()
    {
        Assert.False(_decoder.HasAudioTrack(_media.WithoutAudio));
        Assert.Null(_decoder.Open(_media.WithoutAudio));
        Assert.Null(_decoder.DecodeAll(_media.WithoutAudio));
    }

    [Fact]
    public void CorruptFileIsAnAffectFuseExceptionNamingTheFileWithOneLineReason()
    {
        var e = Assert.Throws<AffectFuseException>(() => _decoder.DecodeAll(_media.Corrupt));
        Assert.Equal(_media.Corrupt, e.File);
        Assert.StartsWith(_media.Corrupt + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("Invalid data", e.Problem);
    }

    [Fact]
    public void TruncatedMp4IsAnAffectFuseException()
    {
        // An mp4 cut in half loses its index (moov at the end): ffmpeg cannot open it.
        string truncated = Path.Combine(_media.Folder, "truncated.mp4");
        byte[] bytes = File.ReadAllBytes(_media.WithAudio);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<AffectFuseException>(() => _decoder.DecodeAll(truncated));
        Assert.Equal(truncated, e.File);
    }

    [Fact]
    public void MissingFileAndMissingFfmpegAreClearErrors()
    {
        string missing = Path.Combine(_media.Folder, "nope.mp4");
        var e = Assert.Throws<AffectFuseException>(() => _decoder.DecodeAll(missing));
        Assert.Equal(missing, e.File);
        Assert.Contains("not found", e.Problem);

        var noTools = new AudioDecoder("/nonexistent/ffmpeg", "/nonexistent/ffprobe");
        var e2 = Assert.Throws<AffectFuseException>(() => noTools.DecodeAll(_media.WithAudio));
        Assert.Contains("/nonexistent/ffprobe", e2.Message);
        Assert.Contains("install FFmpeg", e2.Message);
    }

    [Fact]
    public void DisposingMidwayStopsFfmpeg()
    {
        var reader = _decoder.Open(_media.WithAudio)!;
        var buffer = new float[100];
        Assert.True(reader.Read(buffer) > 0);
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.Read(buffer));
    }
}
