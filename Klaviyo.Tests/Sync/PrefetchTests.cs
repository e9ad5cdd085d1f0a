using System.Runtime.CompilerServices;
using Klaviyo.Core.RestClient;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Sync;

public sealed class PrefetchTests
{
    [Fact]
    public async Task Reads_one_item_ahead_of_the_consumer_and_no_further()
    {
        var produced = 0;
        var consumed = new List<int>();
        var gate = new SemaphoreSlim(0);
        await foreach (var item in Source(10, () => Interlocked.Increment(ref produced)).Prefetch(1, CancellationToken.None))
        {
            consumed.Add(item);
            if (item == 0)
            {
                // While item 0 is "written", item 1 is fetched and waits in the buffer; item 2 is fetched and waits to enter it.
                await Wait.UntilAsync(() => Volatile.Read(ref produced) == 3);
                await Task.Yield();
                Assert.Equal(3, Volatile.Read(ref produced));
            }
        }
        Assert.Equal(Enumerable.Range(0, 10), consumed);
    }

    [Fact]
    public async Task Batches_hand_over_what_arrived_while_the_consumer_was_busy_and_no_more_than_ahead()
    {
        var produced = 0;
        var batches = new List<IReadOnlyList<int>>();
        await foreach (var batch in Source(12, () => Interlocked.Increment(ref produced)).PrefetchBatches(4, CancellationToken.None))
        {
            batches.Add(batch);
            if (batches.Count == 1)
            {
                // While the first batch is "written", four items fill the buffer and a fifth waits to enter it.
                await Wait.UntilAsync(() => Volatile.Read(ref produced) == batch.Count + 5);
            }
        }
        Assert.Equal(4, batches[1].Count);
        Assert.All(batches, b => Assert.InRange(b.Count, 1, 4));
        Assert.Equal(Enumerable.Range(0, 12), batches.SelectMany(b => b));
    }

    [Fact]
    public async Task A_source_error_surfaces_after_the_items_read_before_it()
    {
        var consumed = new List<int>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var item in Source(3, () => { }, failAfter: true).Prefetch(1, CancellationToken.None))
                consumed.Add(item);
        });
        Assert.Equal("source failed", error.Message);
        Assert.Equal([0, 1, 2], consumed);
    }

    [Fact]
    public async Task A_consumer_that_stops_early_cancels_and_awaits_the_source()
    {
        var finished = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await foreach (var item in Endless(finished).Prefetch(1, CancellationToken.None))
        {
            if (item == 2)
                break;
        }
        // The source saw cancellation and ran its finally before the loop returned.
        Assert.True(finished.Task.IsCompleted);
        Assert.True(await finished.Task);
    }

    private static async IAsyncEnumerable<int> Source(int count, Action onProduced, bool failAfter = false)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            onProduced();
            yield return i;
        }
        if (failAfter)
            throw new InvalidOperationException("source failed");
    }

    private static async IAsyncEnumerable<int> Endless(TaskCompletionSource<bool> finished, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            for (var i = 0; ; i++)
            {
                await Task.Delay(1, cancellationToken);
                yield return i;
            }
        }
        finally
        {
            finished.TrySetResult(cancellationToken.IsCancellationRequested);
        }
    }
}
