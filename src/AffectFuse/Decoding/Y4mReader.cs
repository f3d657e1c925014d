using System.Globalization;
using System.Text;

namespace AffectFuse.Decoding;

/// <summary>What a YUV4MPEG2 stream's header says: frame size and rate.</summary>
internal sealed record Y4mHeader(int Width, int Height, double Fps)
{
    /// <summary>Bytes of one 4:2:0 frame: the Y plane and two quarter-size chroma planes.</summary>
    public int FrameBytes => Width * Height + 2 * (Width / 2) * (Height / 2);
}

/// <summary>Reads FFmpeg's <c>yuv4mpegpipe</c> output, a self-describing raw video stream (a text header with size and
/// rate, then "FRAME" and the planes of each frame), so the reader learns the stream's size from the stream itself and
/// needs no separate probe that would take the first packets of a live source. Hand-written: the format is four text
/// lines of spec and no library here reads it. Every read is bounded in time; a read that timed out is resumed by the
/// next call, not lost.</summary>
internal sealed class Y4mReader(Stream stream)
{
    private const string Magic = "YUV4MPEG2";
    private readonly byte[] _chunk = new byte[1 << 16];
    private int _start, _end;
    private Task<int>? _pending;
    private byte[]? _frame;
    private bool _inFrame; // its marker read, its planes still coming
    private int _have;     // plane bytes of the current frame read so far

    /// <summary>The header, once <see cref="ReadHeader"/> has returned true.</summary>
    public Y4mHeader? Header { get; private set; }

    /// <summary>The planes of the last frame read (I420 order), <see cref="Y4mHeader.FrameBytes"/> long.</summary>
    public byte[] Frame => _frame ?? throw new InvalidOperationException("no frame read yet");

    /// <summary>True: the header was read; false: the stream ended first; null: nothing more within <paramref name="wait"/>.</summary>
    public bool? ReadHeader(TimeSpan wait)
    {
        var line = ReadLine(wait, out bool? status);
        if (line is null)
            return status;
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0 || fields[0] != Magic)
            throw new InvalidDataException($"not a YUV4MPEG2 stream (header '{Truncate(line)}')");
        int width = 0, height = 0;
        double fps = 0;
        foreach (string f in fields.Skip(1))
        {
            switch (f[0])
            {
                case 'W': width = int.Parse(f.AsSpan(1), CultureInfo.InvariantCulture); break;
                case 'H': height = int.Parse(f.AsSpan(1), CultureInfo.InvariantCulture); break;
                case 'F': fps = Rate(f[1..]); break;
                case 'C' when !f.StartsWith("C420", StringComparison.Ordinal):
                    throw new InvalidDataException($"YUV4MPEG2 colour space {f[1..]}, expected 4:2:0");
            }
        }
        if (width <= 0 || height <= 0 || !(fps > 0))
            throw new InvalidDataException($"YUV4MPEG2 header without size or rate ('{Truncate(line)}')");
        Header = new Y4mHeader(width, height, fps);
        _frame = new byte[Header.FrameBytes];
        return true;
    }

    /// <summary>True: a frame is in <see cref="Frame"/>; false: the stream ended; null: nothing more within <paramref name="wait"/>.</summary>
    public bool? ReadFrame(TimeSpan wait)
    {
        var frame = Frame;
        if (!_inFrame)
        {
            var line = ReadLine(wait, out bool? status);
            if (line is null)
                return status;
            if (!line.StartsWith("FRAME", StringComparison.Ordinal))
                throw new InvalidDataException($"YUV4MPEG2 frame marker expected, got '{Truncate(line)}'");
            (_inFrame, _have) = (true, 0);
        }
        while (_have < frame.Length)
        {
            if (_start == _end && Fill(wait) is var more && more != true)
                return more;
            int n = Math.Min(frame.Length - _have, _end - _start);
            Buffer.BlockCopy(_chunk, _start, frame, _have, n);
            _start += n;
            _have += n;
        }
        _inFrame = false;
        return true;
    }

    // A line up to '\n' (without it); null with status false at the end, or null at a timeout (what was read is kept).
    private string? ReadLine(TimeSpan wait, out bool? status)
    {
        status = true;
        while (true)
        {
            int newline = Array.IndexOf(_chunk, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                string line = Encoding.ASCII.GetString(_chunk, _start, newline - _start);
                _start = newline + 1;
                return line;
            }
            if (_end - _start > 4096)
                throw new InvalidDataException("YUV4MPEG2 header line longer than 4096 bytes");
            status = Fill(wait);
            if (status != true)
                return null;
        }
    }

    // Reads more into the chunk (keeping the unread part); true when something came, false at the end, null at a timeout.
    private bool? Fill(TimeSpan wait)
    {
        if (_pending is null)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_chunk, _start, _chunk, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            _pending = stream.ReadAsync(_chunk, _end, _chunk.Length - _end);
        }
        if (!_pending.Wait(wait))
            return null;
        int n = _pending.Result;
        _pending = null;
        if (n == 0)
            return false;
        _end += n;
        return true;
    }

    private static double Rate(string text)
    {
        var parts = text.Split(':');
        return parts.Length == 2 && double.TryParse(parts[0], CultureInfo.InvariantCulture, out double a) &&
               double.TryParse(parts[1], CultureInfo.InvariantCulture, out double b) && a > 0 && b > 0 ? a / b : 0;
    }

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
