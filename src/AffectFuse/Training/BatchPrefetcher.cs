using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using AffectFuse.Data;

namespace AffectFuse.Training;

/// <summary>Assembles an epoch's batches on a background thread, a few ahead of the optimiser, so that copying and
/// widening features overlaps the training step instead of stalling it.</summary>
/// <remarks>Batches come out in the order of the windows given, so training is the same as assembling each batch in
/// line. At most <see cref="Ahead"/> batches wait; each holds its own tensors.</remarks>
internal sealed class BatchPrefetcher : IDisposable
{
    /// <summary>Batches assembled ahead of the one being trained on.</summary>
    public const int Ahead = 2;

    private readonly Channel<WindowBatch> _ready = Channel.CreateBounded<WindowBatch>(new BoundedChannelOptions(Ahead)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly CancellationTokenSource _stop;
    private readonly Task _producer;

    /// <summary>Starts assembling batches of <paramref name="batchSize"/> windows of <paramref name="order"/>, in order.</summary>
    public BatchPrefetcher(IReadOnlyList<LabelledVideo> videos, TrainingWindow[] order, int batchSize, int length, CancellationToken cancel)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "batch size must be positive");
        Count = (order.Length + batchSize - 1) / batchSize;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var token = _stop.Token;
        _producer = Task.Factory.StartNew(() => Produce(videos, order, batchSize, length, token), token,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Batches in the epoch.</summary>
    public int Count { get; }

    /// <summary>The next batch (the caller disposes it); waits while it is being assembled. A failure while assembling
    /// is rethrown here.</summary>
    public WindowBatch Next()
    {
        try
        {
            return _ready.Reader.ReadAsync(_stop.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException closed) when (closed.InnerException is { } failure)
        {
            // The producer completed the channel with its exception: rethrow that, with its own stack.
            ExceptionDispatchInfo.Throw(failure);
            throw;
        }
    }

    private void Produce(IReadOnlyList<LabelledVideo> videos, TrainingWindow[] order, int batchSize, int length, CancellationToken token)
    {
        try
        {
            var assembler = new WindowBatchAssembler(videos, length);
            for (int first = 0; first < order.Length; first += batchSize)
            {
                var batch = assembler.Assemble(order.AsSpan(first, Math.Min(batchSize, order.Length - first)));
                try
                {
                    _ready.Writer.WriteAsync(batch, token).AsTask().GetAwaiter().GetResult();
                }
                catch
                {
                    batch.Dispose();
                    throw;
                }
            }
            _ready.Writer.TryComplete();
        }
        catch (OperationCanceledException)
        {
            _ready.Writer.TryComplete();
        }
        catch (Exception e)
        {
            // Handed to the reader, which rethrows it from Next.
            _ready.Writer.TryComplete(e);
        }
    }

    /// <summary>Stops the producer and releases the batches nobody took.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _producer.Wait();
        while (_ready.Reader.TryRead(out var left))
            left.Dispose();
        _stop.Dispose();
    }
}
