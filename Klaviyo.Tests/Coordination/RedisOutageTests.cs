using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Coordination;

/// <summary>Redis away for 30 seconds: both instances keep answering from memory and the database, and everything recovers when it is back.</summary>
public sealed class RedisOutageTests : IDisposable
{
    private readonly CoordinatedPair _pair = new();

    public void Dispose() => _pair.Dispose();

    private const string Dashboard = """
        { overview(range: { preset: LAST_7_DAYS }) { orders { value } lastUpdated dataSource }
          campaigns(first: 5) { totalCount lastUpdated dataSource } syncStatus { entities { entity state } } }
        """;

    [Fact]
    public async Task Redis_stopped_for_30_seconds_costs_no_5xx_and_afterwards_events_caches_and_forwarding_work_again()
    {
        var (leader, follower) = await _pair.LeaderAsync();
        await leader.SyncAsync(SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Campaigns, SyncEntity.Profiles, SyncEntity.Events);
        // "Everything changed", told to each instance's clients as each of its two connections (commands,
        // subscriptions) comes back: they refetch what was published while it was down.
        var refetches = new[] { leader, follower }.Select(instance =>
        {
            var count = new StrongBox<int>();
            instance.Service<EventBus>().Observe<DataChangedEvent>().Subscribe(e =>
            {
                if (e.RunId is null && e.Entities.Count == Enum.GetValues<SyncEntity>().Length)
                    Interlocked.Increment(ref count.Value);
            });
            return count;
        }).ToList();

        _pair.Redis.Stop();
        var outage = Stopwatch.StartNew();
        var answers = 0;
        while (outage.Elapsed < TimeSpan.FromSeconds(30))
        {
            foreach (var instance in new[] { leader, follower })
            {
                var response = await instance.GraphQL().PostAsync(Dashboard);
                Assert.True(response.Status == HttpStatusCode.OK && response.Errors is null, $"{(int)response.Status} during the outage: {response.Body}");
                answers++;
            }
            if (answers == 20)
            {
                // The leader syncs on: its own answers follow at once, from the database.
                leader.Clock.Advance(TimeSpan.FromHours(1));
                follower.Clock.Advance(TimeSpan.FromHours(1));
                Assert.Equal(SyncRunOutcome.Succeeded, (await leader.SyncAsync(SyncEntity.Events)).Outcome);
                // A sync asked of the follower cannot reach the leader: a retryable error, not a 5xx.
                var refused = await follower.GraphQL().PostAsync("mutation { startSync(input: { entities: [METRICS] }) { run { id } } }");
                Assert.Equal(HttpStatusCode.OK, refused.Status);
                Assert.Equal("NOT_LEADER", refused.Errors![0]!["extensions"]!["code"]!.GetValue<string>());
                Assert.True(refused.Errors![0]!["extensions"]!["retryable"]!.GetValue<bool>());
            }
        }
        Assert.True(answers > 20);

        _pair.Redis.Start();
        await Wait.UntilAsync(() => refetches.All(r => Volatile.Read(ref r.Value) >= 2), TimeSpan.FromSeconds(30));
        // After the refetch the follower answers what the leader answers (what it missed included).
        var orders = (await leader.GraphQL().QueryAsync(Dashboard))["overview"]!["orders"]!["value"]!.GetValue<double>();
        Assert.Equal(orders, (await follower.GraphQL().QueryAsync(Dashboard))["overview"]!["orders"]!["value"]!.GetValue<double>());

        // Events cross again, and a follower's sync is forwarded again.
        var heard = new TaskCompletionSource<DataChangedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var __ = follower.Service<EventBus>().Observe<DataChangedEvent>().Subscribe(e =>
        {
            if (e.RunId is not null)
                heard.TrySetResult(e);
        });
        leader.Clock.Advance(TimeSpan.FromHours(1));
        follower.Clock.Advance(TimeSpan.FromHours(1));
        var run = await leader.SyncAsync(SyncEntity.Events);
        Assert.Equal(run.Id, (await heard.Task.WaitAsync(TimeSpan.FromSeconds(10))).RunId);
        var forwarded = await follower.GraphQL().QueryAsync("mutation { startSync(input: { entities: [METRICS] }) { run { id } } }");
        Assert.NotNull(forwarded["startSync"]!["run"]);
    }
}
