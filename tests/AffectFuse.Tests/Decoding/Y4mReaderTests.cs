using System.IO.Pipes;
using System.Text;
using AffectFuse.Decoding;
using Xunit;

namespace AffectFuse.Tests.Decoding;

/// <summary>The YUV4MPEG2 reader: size and rate from the header, whole frames however the bytes arrive, a wait that
/// times out resumed where it stopped, and a stream that is not YUV4MPEG2 refused.</summary>
public class Y4mReaderTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static byte[] Stream(int width, int height, params byte[] frameValues)
    {
        var bytes = new List<byte>(Encoding.ASCII.GetBytes($"YUV4MPEG2 W{width} H{height} F30000:1001 Ip A1:1 C420jpeg XYSCSS=420JPEG\n"));
        int size = width * height * 3 / 2;
        foreach (byte v in frameValues)
        {
            bytes.AddRange(Encoding.ASCII.GetBytes("FRAME\n"));
            bytes.AddRange(Enumerable.Repeat(v, size));
        }
        return [.. bytes];
    }

    [Fact]
    public void HeaderAndFramesAreReadWhole()
    {
        var reader = new Y4mReader(new MemoryStream(Stream(6, 4, 10, 20)));
        Assert.True(reader.ReadHeader(Wait));
        Assert.Equal(new Y4mHeader(6, 4, 30000 / 1001.0), reader.Header);
        Assert.Equal(36, reader.Header!.FrameBytes);
        Assert.True(reader.ReadFrame(Wait));
        Assert.All(reader.Frame, b => Assert.Equal(10, b));
        Assert.True(reader.ReadFrame(Wait));
        Assert.All(reader.Frame, b => Assert.Equal(20, b));
        Assert.False(reader.ReadFrame(Wait));
    }

    [Fact]
    public void ATimedOutWaitIsResumedWhereItStopped()
    {
        byte[] all = Stream(6, 4, 7);
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var reader = new Y4mReader(client);
        // The header and half a frame, then nothing: the frame read times out, and completes when the rest comes.
        server.Write(all, 0, all.Length - 18);
        server.Flush();
        Assert.True(reader.ReadHeader(Wait));
        Assert.Null(reader.ReadFrame(TimeSpan.FromMilliseconds(200)));
        server.Write(all, all.Length - 18, 18);
        server.Flush();
        Assert.True(reader.ReadFrame(Wait));
        Assert.All(reader.Frame, b => Assert.Equal(7, b));
    }

    [Theory]
    [InlineData("P6 640 480 255\n")]
    [InlineData("YUV4MPEG2 W640 F25:1\n")]
    [InlineData("YUV4MPEG2 W640 H480 F25:1 C444\n")]
    public void AStreamThatIsNotFourTwoZeroYuv4mpegIsRefused(string header)
    {
        var reader = new Y4mReader(new MemoryStream(Encoding.ASCII.GetBytes(header)));
        Assert.Throws<InvalidDataException>(() => reader.ReadHeader(Wait));
    }
}
