using AffectFuse.Decoding;
using AffectFuse.Tests.Audio;
using Xunit;

namespace AffectFuse.Tests.Decoding;

/// <summary>ffprobe's view of a file's streams, which decides how <c>extract</c> and <c>predict</c> read it.</summary>
public class MediaStreamsTests
{
    private readonly AudioDecoder _decoder = new();

    [Fact]
    public void CoverArtIsNoVideoAndTheNameDecidesNothing()
    {
        using var dir = new TempFolder();
        string sound = dir.File("tone.wav"), cover = dir.File("cover.png"), withCover = dir.File("tone.mp3"), soundInMkv = dir.File("tone.mkv");
        AudioTestKit.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=16000:duration=1.5", sound);
        AudioTestKit.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x64", "-frames:v", "1", cover);
        AudioTestKit.Run("ffmpeg", "-v", "error", "-i", sound, "-i", cover, "-map", "0", "-map", "1", "-c:v", "copy", "-disposition:v", "attached_pic", withCover);
        AudioTestKit.Run("ffmpeg", "-v", "error", "-i", sound, "-c:a", "flac", soundInMkv);

        Assert.Equal(new MediaStreams(sound, false, true, 1.5), _decoder.Probe(sound));
        var mp3 = _decoder.Probe(withCover);
        Assert.Equal((false, true), (mp3.HasVideo, mp3.HasAudio));
        Assert.Equal((false, true), (_decoder.Probe(soundInMkv).HasVideo, _decoder.Probe(soundInMkv).HasAudio));
    }

    [Fact]
    public void AVideoWithAndWithoutSoundAndAFileWithNeither()
    {
        using var dir = new TempFolder();
        string both = dir.File("both.mp4"), silent = dir.File("silent.mp4"), subtitles = dir.File("subtitles.mkv"), srt = dir.File("s.srt");
        AudioTestKit.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=25:duration=1", "-f", "lavfi", "-i", "sine=duration=1",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", both);
        AudioTestKit.Run("ffmpeg", "-v", "error", "-i", both, "-map", "0:v", "-c", "copy", silent);
        File.WriteAllText(srt, "1\n00:00:00,000 --> 00:00:01,000\nhello\n");
        AudioTestKit.Run("ffmpeg", "-v", "error", "-i", srt, subtitles);

        Assert.Equal((true, true), (_decoder.Probe(both).HasVideo, _decoder.Probe(both).HasAudio));
        Assert.Equal((true, false), (_decoder.Probe(silent).HasVideo, _decoder.Probe(silent).HasAudio));
        Assert.Equal((false, false), (_decoder.Probe(subtitles).HasVideo, _decoder.Probe(subtitles).HasAudio));
    }

    [Fact]
    public void TextNamedLikeSoundIsOneLineNamingTheFile()
    {
        using var dir = new TempFolder();
        string text = dir.File("x.wav");
        File.WriteAllText(text, "hello, this is text and not sound\n");
        var e = Assert.Throws<AffectFuseException>(() => _decoder.Probe(text));
        Assert.Equal(text, e.File);
        Assert.StartsWith("not a readable video or audio file (", e.Problem);
        Assert.DoesNotContain('\n', e.Message);
    }
}
