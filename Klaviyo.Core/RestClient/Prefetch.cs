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
                while (buffer.Reader.TryRead(out var item))
                    yield return item;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
        }
    }
}
