using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Tests.Sync;

/// <summary>A living account: new and late events keep arriving while the sync keeps up.</summary>
public sealed class LiveSyncTests(LiveSyncTests.Factory factory) : IClassFixture<LiveSyncTests.Factory>
{
    /// <summary>An event every second once started; time moves when the test says so.</summary>
    public sealed class Factory : SandboxApiFactory
    {
        public Factory() => With("Sandbox:LiveEventInterval", "00:00:01").With("Sandbox:LateEventShare", "0.2");
    }

    /// <summary>
    /// Events keep arriving in real time while the test runs: every event that had arrived when the
    /// run started must be stored, and nothing that had not arrived when it finished.
    /// </summary>
    private async Task AssertCaughtUpAsync(SyncRun run)
    {
        var account = factory.Account;
        await using var db = await factory.Db();
        var stored = (await db.Events.Select(e => e.Id).ToListAsync()).ToHashSet();
        var mustHave = account.EventCountAt(run.StartedAt);
        var mayHave = account.EventCountAt(run.FinishedAt!.Value);
        for (long i = 0; i < mustHave; i++)
            Assert.True(stored.Contains(account.Event(i).Id), $"event {i} (arrived before the run) is missing");
        Assert.InRange(stored.Count, mustHave, mayHave);
        Assert.Equal(stored.Count, await db.MetricRollups.Where(r => r.Granularity == RollupGranularity.Hour).SumAsync(r => r.Count));
    }

    [Fact]
    public async Task Late_events_are_caught_by_the_look_back_sweep_and_none_is_lost_or_doubled()
    {
        Assert.Equal(SyncRunOutcome.Succeeded, (await factory.SyncAsync(SyncEntity.Metrics, SyncEntity.Events)).Outcome);

        // Two hours pass: 7 200 new events, a fifth of them stamped up to three hours before they arrived,
        // so many fall before the incremental cursor. Only the sweep reaches back for them.
        factory.Clock.Advance(TimeSpan.FromHours(2));
        var run = await factory.SyncAsync(SyncEntity.Events);

        Assert.Equal(SyncRunOutcome.Succeeded, run.Outcome);
        await AssertCaughtUpAsync(run);
    }

    [Fact]
    public async Task Runs_between_sweeps_miss_nothing_once_the_next_sweep_has_run()
    {
        Assert.Equal(SyncRunOutcome.Succeeded, (await factory.SyncAsync(SyncEntity.Metrics, SyncEntity.Events)).Outcome);
        for (var i = 0; i < 5; i++)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(4)); // a sweep every 10 minutes: most of these runs are plain increments
            Assert.Equal(SyncRunOutcome.Succeeded, (await factory.SyncAsync(SyncEntity.Events)).Outcome);
        }
        factory.Clock.Advance(TimeSpan.FromMinutes(11));
        var last = await factory.SyncAsync(SyncEntity.Events);

        Assert.Equal(SyncRunOutcome.Succeeded, last.Outcome);
        await AssertCaughtUpAsync(last);
    }

    [Fact]
    public async Task A_subscription_sees_progress_completion_and_data_changed_during_a_run()
    {
        var bus = factory.Service<EventBus>();
        var listening = bus.Subscribers;
        await using var socket = await GraphQLWebSocketClient.InitialisedAsync(factory);
        await socket.SubscribeAsync("progress", "subscription { syncProgress(entity: PROFILES) { runId entity processed pages rate } }");
        await socket.SubscribeAsync("completed", "subscription { syncCompleted { id outcome records entities } }");
        await socket.SubscribeAsync("changed", "subscription { dataChanged(scopes: [PROFILES]) { entities lastUpdated runId } }");
        // Subscriptions start asynchronously: wait until all three listen on the bus.
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            while (bus.Subscribers < listening + 3)
                await Task.Delay(10, timeout.Token);

        var run = await factory.SyncAsync(SyncMode.Full, SyncEntity.Profiles);

        var seen = new Dictionary<string, System.Text.Json.Nodes.JsonNode>();
        while (seen.Count < 3)
        {
            var message = await socket.ReceiveAsync("next");
            seen.TryAdd(message["id"]!.GetValue<string>(), message["payload"]!["data"]!);
        }
        Assert.Equal(run.Id.ToString(), seen["progress"]["syncProgress"]!["runId"]!.GetValue<string>());
        Assert.True(seen["progress"]["syncProgress"]!["processed"]!.GetValue<int>() > 0);
        Assert.Equal("SUCCEEDED", seen["completed"]["syncCompleted"]!["outcome"]!.GetValue<string>());
        Assert.Equal(run.Id.ToString(), seen["changed"]["dataChanged"]!["runId"]!.GetValue<string>());
    }
}
