using Klaviyo.Core.Data;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Tests.Sync;

/// <summary>The background schedule on its own: it syncs every entity, reports after what they describe, and prunes old runs.</summary>
public sealed class SyncScheduleTests(SyncScheduleTests.Factory factory) : IClassFixture<SyncScheduleTests.Factory>
{
    public static readonly Guid OldRun = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    public static readonly Guid Interrupted = Guid.Parse("00000000-0000-0000-0000-00000000000b");

    public sealed class Factory : SandboxApiFactory, IAsyncLifetime
    {
        public Factory() => With("Sync:Enabled", "true");

        /// <summary>What a killed process leaves behind, written before the app starts.</summary>
        public async Task InitializeAsync()
        {
            await using var db = OpenDatabaseDirectly();
            await db.Database.MigrateAsync();
            db.SyncRuns.AddRange(
                new SyncRun { Id = OldRun, Trigger = "SCHEDULE", Mode = "INCREMENTAL", Entities = "Events", StartedAt = DateTime.UtcNow.AddDays(-8), FinishedAt = DateTime.UtcNow.AddDays(-8), Outcome = SyncRunOutcome.Succeeded },
                new SyncRun { Id = Interrupted, Trigger = "SCHEDULE", Mode = "INCREMENTAL", Entities = "Flows", StartedAt = DateTime.UtcNow.AddMinutes(-1), Outcome = SyncRunOutcome.Running });
            db.SyncStates.Add(new SyncState { Entity = SyncEntity.Flows, Status = SyncStatusKind.Running, NextRunAt = DateTime.UtcNow.AddHours(1) });
            await db.SaveChangesAsync();
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task Every_entity_syncs_on_schedule_and_old_runs_are_pruned()
    {
        SyncEntity[] expected = [SyncEntity.Metrics, SyncEntity.Campaigns, SyncEntity.Flows, SyncEntity.Profiles, SyncEntity.Events];
        SyncEntity[] reports = [SyncEntity.CampaignReports, SyncEntity.FlowReports, SyncEntity.FormReports];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        while (true)
        {
            await using var db = await factory.Db();
            var synced = await db.SyncStates.Where(s => s.LastSuccessAt != null).Select(s => s.Entity).ToListAsync(timeout.Token);
            var oldRunGone = !await db.SyncRuns.AnyAsync(r => r.Id == OldRun, timeout.Token);
            // A run records its outcome after all its entities: their states can be in before it is.
            var runSucceeded = await db.SyncRuns.AnyAsync(r => r.Trigger == "SCHEDULE" && r.Outcome == SyncRunOutcome.Succeeded, timeout.Token);
            // Reports share 2 calls a minute, so only the first of them is waited for.
            if (expected.All(synced.Contains) && reports.Any(synced.Contains) && oldRunGone && runSucceeded)
                break;
            await Task.Delay(200, timeout.Token);
        }

        await using var check = await factory.Db();
        var interrupted = await check.SyncRuns.SingleAsync(r => r.Id == Interrupted);
        Assert.Equal(SyncRunOutcome.Failed, interrupted.Outcome);
        Assert.Contains("Interrupted", interrupted.Error);
        Assert.True(await check.SyncRuns.AnyAsync(r => r.Trigger == "SCHEDULE" && r.Outcome == SyncRunOutcome.Succeeded));
        // The interrupted entity was due again at once, despite the NextRunAt an hour away it was left with.
        Assert.NotNull((await check.SyncStates.SingleAsync(s => s.Entity == SyncEntity.Flows)).LastSuccessAt);
        Assert.Equal(factory.Account.EventCountAt(factory.Clock.GetUtcNow().UtcDateTime), await check.Events.CountAsync());
    }
}
