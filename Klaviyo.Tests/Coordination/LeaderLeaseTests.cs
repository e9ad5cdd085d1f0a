using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Klaviyo.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Tests.Coordination;

/// <summary>Two instances on one database (SQLite file, or one PostgreSQL database with KLAVIYO_TEST_POSTGRES): one sync leader, fenced.</summary>
public sealed class LeaderLeaseTests : IDisposable
{
    private readonly CoordinatedPair _pair = new(redis: false);

    public void Dispose() => _pair.Dispose();

    private Task<(CoordinatedInstance Leader, CoordinatedInstance Follower)> LeaderAsync() => _pair.LeaderAsync();

    [Fact]
    public async Task Exactly_one_instance_leads_and_the_other_refuses_syncs_with_NOT_LEADER_naming_the_leader()
    {
        var (leader, follower) = await LeaderAsync();

        Assert.Equal(1, leader.Lease.Epoch);
        var refused = await follower.GraphQL().PostAsync("mutation { startSync(input: { entities: [METRICS] }) { run { id } } }");
        var error = Assert.Single(refused.Errors!)!;
        Assert.Equal("NOT_LEADER", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal(leader.Lease.InstanceId, error["extensions"]!["leader"]!.GetValue<string>());
        Assert.Contains(leader.Lease.InstanceId, error["message"]!.GetValue<string>());

        var run = await leader.SyncAsync(SyncEntity.Metrics);
        Assert.Equal((SyncRunOutcome.Succeeded, 1L), (run.Outcome, run.Epoch));
        var instance = (await follower.GraphQL().QueryAsync("{ diagnostics { instance { id coordinated isLeader leaderId epoch } } }"))["diagnostics"]!["instance"]!;
        Assert.Equal((follower.Lease.InstanceId, true, false, leader.Lease.InstanceId, leader.Lease.Epoch),
            (instance["id"]!.GetValue<string>(), instance["coordinated"]!.GetValue<bool>(), instance["isLeader"]!.GetValue<bool>(), instance["leaderId"]!.GetValue<string>(),
             instance["epoch"]!.GetValue<long>()));
    }

    [Fact]
    public void What_one_instance_protects_the_other_reads()
    {
        // Sign-in cookies and antiforgery tokens: the keys are in the shared database.
        var ticket = _pair.A.Service<IDataProtectionProvider>().CreateProtector("cookie").Protect("a session");
        Assert.Equal("a session", _pair.B.Service<IDataProtectionProvider>().CreateProtector("cookie").Unprotect(ticket));
    }

    [Fact]
    public async Task A_leader_that_stops_hands_over_within_a_renewal_at_a_higher_epoch()
    {
        var (leader, follower) = await LeaderAsync();
        var epoch = leader.Lease.Epoch;

        leader.Dispose(); // a graceful stop releases the lease
        await Wait.UntilAsync(() => follower.Lease.IsLeader, TimeSpan.FromSeconds(3));

        Assert.Equal(epoch + 1, follower.Lease.Epoch);
        Assert.Equal(SyncRunOutcome.Succeeded, (await follower.SyncAsync(SyncEntity.Metrics)).Outcome);
    }

    [Fact]
    public async Task A_deposed_leaders_writes_are_refused_and_its_run_stops()
    {
        var (leader, follower) = await LeaderAsync();
        await leader.SyncAsync(SyncEntity.Metrics);
        await leader.ForgetEventsAsync();
        var committed = 0L;
        using var depose = leader.Service<EventBus>().Observe<SyncProgressEvent>().Subscribe(p =>
        {
            if (p.Entity != SyncEntity.Events || committed > 0)
                return;
            committed = p.Processed;
            // Another instance took the lease (as after this one's pause): a higher epoch, and this one not told yet.
            using var db = follower.OpenDatabaseDirectly();
            db.SyncLeases.Where(l => l.Id == SyncLease.SingletonId)
                .ExecuteUpdate(u => u.SetProperty(l => l.Holder, "C").SetProperty(l => l.Epoch, l => l.Epoch + 1).SetProperty(l => l.ExpiresAtMs, long.MaxValue / 2));
        });

        var run = await leader.SyncAsync(SyncMode.Full, SyncEntity.Events);

        Assert.NotEqual(SyncRunOutcome.Succeeded, run.Outcome);
        await using var check = await leader.Db();
        Assert.Equal(committed, await check.Events.LongCountAsync()); // nothing after the page that saw the takeover
        await using (var db = await leader.Db())
            await Assert.ThrowsAsync<LeaseLostException>(() => leader.Lease.FenceAsync(db, CancellationToken.None));
        // Both instances see the new holder at their next renewal; neither syncs.
        await Wait.UntilAsync(() => !leader.Lease.IsLeader && leader.Lease.LeaderId == "C" && follower.Lease.LeaderId == "C");
        Assert.False(follower.Lease.IsLeader);
    }
}
