using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Klaviyo.Core.RestClient;

public static class PrefetchExtensions
{
    /// <summary>
    /// Reads up to <paramref name="ahead"/> items beyond the one being consumed, so a page is
    /// fetched while the previous one is written. The source's errors surface in order, after the
    /// items read before them; when the consumer stops (done, failed or cancelled) the source is
    /// cancelled and awaited, so no request outlives the loop.
    /// </summary>
    public static async IAsyncEnumerable<T> Prefetch<T>(this IAsyncEnumerable<T> source, int ahead, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var batch in source.PrefetchBatches(ahead, cancellationToken))
        {
            foreach (var item in batch)
                yield return item;
        }
    }

    /// <summary>
    /// <see cref="Prefetch{T}"/> that hands the consumer, each time it asks, every item that arrived
    /// while it was busy (one at least, <paramref name="ahead"/> at most): a consumer slower than
    /// its source works in larger units (a sync's writer commits several pages at once, and a
    /// database pays per commit), one that keeps up still gets each item as it comes.
    /// </summary>
    public static async IAsyncEnumerable<IReadOnlyList<T>> PrefetchBatches<T>(this IAsyncEnumerable<T> source, int ahead, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var buffer = Channel.CreateBounded<T>(new BoundedChannelOptions(ahead) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in source.WithCancellation(stop.Token))
                    await buffer.Writer.WriteAsync(item, stop.Token);
                buffer.Writer.Complete();
            }
            catch (Exception e)
            {
                buffer.Writer.Complete(e);
            }
        }, CancellationToken.None);
        try
        {
            while (await buffer.Reader.WaitToReadAsync(cancellationToken))
            {
                var batch = new List<T>(ahead);
                while (batch.Count < ahead && buffer.Reader.TryRead(out var item))
                    batch.Add(item);
                if (batch.Count > 0)
                    yield return batch;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
        }
    }
}
