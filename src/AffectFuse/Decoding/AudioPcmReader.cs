using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AffectFuse.Decoding;

/// <summary>Streams 16 kHz mono float32 PCM from a running ffmpeg process; made by <see cref="AudioDecoder.Open"/>.
/// Disposing it before the end stops ffmpeg.</summary>
internal sealed class AudioPcmReader : IDisposable
{
    private const int StderrLinesKept = 20;

    private readonly Process _process;
    private readonly Stream _stdout;
    private readonly string _mediaPath;
    private readonly string _fullPath;
    private readonly Queue<string> _stderrTail = new();
    private readonly byte[] _bytes = new byte[1 << 16];
    private int _carry; // bytes of an incomplete float left at the start of _bytes
    private bool _finished;
    private bool _disposed;

    internal AudioPcmReader(Process process, string mediaPath, string fullPath)
    {
        _process = process;
        _mediaPath = mediaPath;
        _fullPath = fullPath;
        _stdout = process.StandardOutput.BaseStream;
        // Drained concurrently so ffmpeg never blocks on a full stderr pipe; only the tail is kept (bounded memory).
        process.ErrorDataReceived += (_, e) =>
        {
            if (string.IsNullOrWhiteSpace(e.Data))
                return;
            lock (_stderrTail)
            {
                _stderrTail.Enqueue(e.Data);
                if (_stderrTail.Count > StderrLinesKept)
                    _stderrTail.Dequeue();
            }
        };
        process.BeginErrorReadLine();
    }

    /// <summary>Samples returned so far.</summary>
    public long SamplesRead { get; private set; }

    /// <summary>Fills <paramref name="destination"/> with up to its length of samples; returns how many, 0 at the end
    /// of the track. A decoding failure is an <see cref="AffectFuseException"/> naming the file with ffmpeg's reason.</summary>
    public int Read(Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished || destination.IsEmpty)
            return 0;
        int maxBytes = Math.Min(_bytes.Length, destination.Length * sizeof(float));
        while (true)
        {
            int got = _stdout.Read(_bytes, _carry, maxBytes - _carry);
            if (got == 0)
            {
                Finish();
                return 0;
            }
            int total = _carry + got;
            int samples = total / sizeof(float);
            if (samples == 0)
            {
                _carry = total;
                continue;
            }
            MemoryMarshal.Cast<byte, float>(_bytes.AsSpan(0, samples * sizeof(float))).CopyTo(destination);
            _carry = total - samples * sizeof(float);
            if (_carry > 0)
                _bytes.AsSpan(samples * sizeof(float), _carry).CopyTo(_bytes);
            SamplesRead += samples;
            return samples;
        }
    }

    /// <summary>The rest of the track as consecutive chunks of <paramref name="chunkSamples"/> samples (the last may be
    /// shorter); each chunk is a new array the caller may keep.</summary>
    public IEnumerable<float[]> ReadChunks(int chunkSamples = AudioDecoder.SampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSamples, 1);
        var buffer = new float[chunkSamples];
        int filled = 0;
        while (true)
        {
            int n = Read(buffer.AsSpan(filled));
            if (n == 0)
                break;
            filled += n;
            if (filled == chunkSamples)
            {
                yield return buffer;
                buffer = new float[chunkSamples];
                filled = 0;
            }
        }
        if (filled > 0)
            yield return buffer[..filled];
    }

    private void Finish()
    {
        _finished = true;
        _process.WaitForExit(); // also waits for the stderr handler to see the last line
        if (_process.ExitCode != 0)
        {
            string tail;
            lock (_stderrTail)
                tail = string.Join('\n', _stderrTail);
            throw new AffectFuseException(_mediaPath,
                $"cannot decode audio: {AudioDecoder.OneLineReason(tail, _fullPath, _process.ExitCode)}");
        }
    }

    /// <summary>Stops ffmpeg if it is still running.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
