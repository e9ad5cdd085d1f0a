using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Accounts;

/// <summary>Fair sync: backfills of events and profiles take turns across accounts, page by page; incremental syncs never wait for them.</summary>
public sealed class FairSyncTests : LondonAccountTests
{
    [Fact]
    public async Task An_incremental_sync_runs_while_every_backfill_slot_is_taken_and_a_first_sync_waits_its_turn()
    {
        var london = await AddLondonAsync();
        await App.SyncAsync(SyncEntity.Events); // the deployment's first sync of events: a backfill, which took a slot and gave it back
        var slots = App.Service<BackfillSlots>();
        Assert.Equal(0, slots.InUse);
        var held = new List<BackfillSlots.Turn>();
        for (var i = 0; i < slots.Capacity; i++)
            held.Add(await slots.TakeAsync(CancellationToken.None));

        // The deployment's events again: incremental, so it does not wait (a minute's bound: were it to wait, the test fails rather than hangs).
        Assert.Equal(SyncRunOutcome.Succeeded, (await App.SyncAsync(SyncEntity.Events).WaitAsync(TimeSpan.FromMinutes(1))).Outcome);

        // London's first sync of events is a backfill: it waits for a slot (the same slots: the deployment's, shared with every account).
        var first = TrySyncAsync(london, SyncEntity.Events);
        await Wait.UntilAsync(() => slots.Waiting == 1 || first.IsCompleted);
        Assert.False(first.IsCompleted);
        held.ForEach(t => t.Dispose());
        Assert.Equal(SyncRunOutcome.Succeeded, await first);
        Assert.Equal(0, slots.InUse);
    }

    [Fact]
    public async Task Backfills_take_turns_page_by_page_in_the_order_they_waited()
    {
        var slots = new BackfillSlots(1);
        var order = new List<string>();
        var a = await slots.TakeAsync(CancellationToken.None);
        var b = slots.TakeAsync(CancellationToken.None);
        await Wait.UntilAsync(() => slots.Waiting == 1);

        // A finishes a page and yields: B, which waited, goes first; A waits behind it.
        var aNext = a.YieldAsync(CancellationToken.None).ContinueWith(_ => { lock (order) order.Add("A"); }, TaskScheduler.Default);
        var turnB = await b;
        lock (order)
            order.Add("B");
        Assert.False(aNext.IsCompleted);
        turnB.Dispose();
        await aNext;
        Assert.Equal(["B", "A"], order);
        a.Dispose();
        a.Dispose(); // given back once
        Assert.Equal(0, slots.InUse);
    }

    [Fact]
    public async Task A_backfill_beyond_the_pipelines_waits_to_begin_and_does_not_take_turns_until_one_ends()
    {
        var slots = new BackfillSlots(capacity: 1, pipelines: 2);
        var a = await slots.TakeAsync(CancellationToken.None);
        var b = slots.TakeAsync(CancellationToken.None); // under way, waiting for the slot
        await Wait.UntilAsync(() => slots.Waiting == 1);
        var c = slots.TakeAsync(CancellationToken.None); // a third: waits to begin, holding no pages
        await Wait.UntilAsync(() => slots.Waiting == 2);
        Assert.Equal(2, slots.Running);

        // A and B take turns page by page; C is not among them.
        var aNext = a.YieldAsync(CancellationToken.None);
        var turnB = await b;
        var bNext = turnB.YieldAsync(CancellationToken.None);
        await aNext.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(c.IsCompleted);

        // A ends: B takes the slot, C begins and waits for its turn.
        a.Dispose();
        await bNext.WaitAsync(TimeSpan.FromSeconds(10));
        await Wait.UntilAsync(() => slots.Running == 2 && slots.Waiting == 1);
        turnB.Dispose();
        var turnC = await c.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, slots.Running);
        turnC.Dispose();
        Assert.Equal((0, 0), (slots.InUse, slots.Running));
    }
}
