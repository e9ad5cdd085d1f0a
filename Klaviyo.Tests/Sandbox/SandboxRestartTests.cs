using Klaviyo.Core.Data;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Sandbox;

/// <summary>The sandbox account is anchored when first created: a restart continues it, and what happened while the app was down arrives as a backlog.</summary>
public sealed class SandboxRestartTests
{
    private sealed class Instance : SandboxApiFactory
    {
        public Instance(string databasePath, FixedTimeProvider clock)
            : base(databasePath)
        {
            // An event a minute, so a day's downtime is a backlog of 1 440 events; a frozen clock, so nothing arrives mid-sync.
            With("Sandbox:LiveEventInterval", "00:01:00");
            WithServices(s => s.AddSingleton<TimeProvider>(clock));
        }
    }

    [Fact]
    public async Task Stop_move_the_clock_a_day_start_and_sync_and_the_database_equals_the_account()
    {
        var path = ApiFactory.NewDatabasePath();
        var clock = new FixedTimeProvider(DateTime.UtcNow);
        Dictionary<string, DateTime> before;
        DateTime liveFrom;
        await using (var first = new Instance(path, clock) { KeepDatabase = true })
        {
            Assert.Equal(SyncRunOutcome.Succeeded, (await first.SyncAsync(SyncEntity.Metrics, SyncEntity.Events)).Outcome);
            liveFrom = first.Account.LiveFrom;
            await using var db = await first.Db();
            before = await db.Events.ToDictionaryAsync(e => e.Id, e => e.Datetime);
            Assert.Equal(first.Account.EventCountAt(clock.UtcNow), before.Count);
        }

        clock.UtcNow = clock.UtcNow.AddDays(1);
        await using var second = new Instance(path, clock);
        try
        {
            Assert.Equal(liveFrom, second.Account.LiveFrom);
            Assert.Equal(SyncRunOutcome.Succeeded, (await second.SyncAsync(SyncEntity.Events)).Outcome);
            await using var db = await second.Db();
            var after = await db.Events.ToDictionaryAsync(e => e.Id, e => e.Datetime);

            // The same ids with the same timestamps, plus the day's backlog, and nothing else.
            Assert.All(before, e => Assert.Equal(e.Value, after[e.Key]));
            var expected = second.Account.EventCountAt(clock.UtcNow);
            Assert.Equal(expected, after.Count);
            Assert.True(after.Count - before.Count >= 1_400, $"backlog of {after.Count - before.Count} events");
            for (var i = 0L; i < expected; i += 97)
            {
                var e = second.Account.Event(i);
                Assert.Equal(e.Datetime, after[e.Id]);
            }
        }
        finally
        {
            second.KeepDatabase = false;
        }
    }
}
