using Klaviyo.Core.Alerts;
using Klaviyo.Core.Data;
using Klaviyo.Tests.Alerts;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Tests.Coordination;

/// <summary>
/// Two coordinated instances on one database (SQLite file, or PostgreSQL with KLAVIYO_TEST_POSTGRES): both run
/// the evaluator and the outbox loops, only the leader decides and sends — one notification per state change,
/// also across a hand-over.
/// </summary>
public sealed class CoordinatedAlertTests : IDisposable
{
    private const string Rule = "Revenue is known";

    private readonly CoordinatedPair _pair = new(redis: false, configure: instance => instance
        .With("Alerts:Enabled", "true").With("Alerts:GroupWait", "00:00:00").With("Alerts:GroupInterval", "00:00:00").With("Alerts:Tick", "00:00:00.200"));

    public void Dispose() => _pair.Dispose();

    [Fact]
    public async Task Two_instances_send_one_notification_per_state_change_also_across_a_hand_over()
    {
        var (leader, follower) = await _pair.LeaderAsync();
        await leader.SyncAsync(SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Events);
        await using var receiver = await HookReceiver.StartAsync();
        // Written through the follower: any instance takes changes, the leader acts on them.
        await follower.GraphQL().QueryAsync($$"""mutation { createContactPoint(input: { name: "hook", kind: "WEBHOOK", url: "{{receiver.Url}}" }) { secret } }""");
        await follower.GraphQL().QueryAsync($$"""
            mutation { createAlertRule(input: { name: "{{Rule}}", kind: THRESHOLD, kpi: REVENUE, window: LAST_30_DAYS, comparison: ABOVE, threshold: -1, evaluateEverySeconds: 10 }) { id } }
            """);

        await Wait.UntilAsync(() => About(receiver) >= 1, TimeSpan.FromSeconds(30));
        // Both loops keep running for a while: still one message, one log entry, one outbox row.
        var passes = (leader.Service<AlertEvaluator>().Passes, follower.Service<AlertEvaluator>().Passes);
        await Wait.UntilAsync(() => leader.Service<AlertEvaluator>().Passes >= passes.Item1 + 5, TimeSpan.FromSeconds(30));
        Assert.Equal(passes.Item2, follower.Service<AlertEvaluator>().Passes); // a follower does not evaluate
        Assert.Equal(1, About(receiver));

        // The leader stops; the follower takes over and evaluates the rule again: it is still firing, nothing new to tell.
        var epoch = leader.Lease.Epoch;
        leader.Dispose();
        await Wait.UntilAsync(() => follower.Lease.IsLeader && follower.Lease.Epoch > epoch, TimeSpan.FromSeconds(10));
        await follower.GraphQL().QueryAsync("mutation { evaluateAlerts { to } }");
        var after = follower.Service<AlertEvaluator>().Passes;
        await Wait.UntilAsync(() => follower.Service<AlertEvaluator>().Passes >= after + 5, TimeSpan.FromSeconds(30));
        Assert.Equal(1, About(receiver));
        await using var db = follower.OpenDatabaseDirectly();
        var fired = await db.AlertLog.Where(e => e.RuleName == Rule && e.To == nameof(AlertState.Firing)).Select(e => e.Id).SingleAsync();
        Assert.Equal(1, await db.Notifications.CountAsync(n => n.LogEntryId == fired));
    }

    private static int About(HookReceiver receiver) => receiver.Requests.Count(r => r.Body.Contains(Rule, StringComparison.Ordinal));
}
