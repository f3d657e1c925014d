using System.Diagnostics;
using System.Threading.Channels;

namespace AffectFuse.Features;

/// <summary>Blocking reads and writes on a channel, for stages that run on dedicated threads (Torch's and ONNX
/// Runtime's per-thread settings stay put; no continuation hops threads). Time spent blocked is added to a stopwatch
/// so each stage's busy time can be reported.</summary>
internal static class BlockingChannel
{
    public static void Write<T>(ChannelWriter<T> writer, T item, Stopwatch waiting, CancellationToken ct)
    {
        if (writer.TryWrite(item))
            return;
        waiting.Start();
        try
        {
            writer.WriteAsync(item, ct).AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            waiting.Stop();
        }
    }

    /// <summary>False once the channel is completed and empty.</summary>
    public static bool TryRead<T>(ChannelReader<T> reader, out T item, Stopwatch waiting, CancellationToken ct)
    {
        while (true)
        {
            if (reader.TryRead(out item!))
                return true;
            waiting.Start();
            bool more;
            try
            {
                more = reader.WaitToReadAsync(ct).AsTask().GetAwaiter().GetResult();
            }
            finally
            {
                waiting.Stop();
            }
            if (!more)
                return false;
        }
    }
}
