using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Klaviyo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Sync;

public sealed class SyncStatusTests(SyncStatusTests.Factory factory) : IClassFixture<SyncStatusTests.Factory>
{
    /// <summary>"Now" is 2026-03-08 01:00:09: events (every 5 s) synced 9 s ago, so they are ON_TIME only within 10 s.</summary>
    public sealed class Factory : ApiFactory, IAsyncLifetime
    {
        public static readonly DateTime Now = new(2026, 3, 8, 1, 0, 9, DateTimeKind.Utc);

        public Factory() => WithServices(s => s.AddSingleton<TimeProvider>(new FixedTimeProvider(Now)));

        public Task InitializeAsync() => SeedAsync(db =>
        {
            db.SyncStates.AddRange(
                new SyncState { Entity = SyncEntity.Events, Status = SyncStatusKind.Succeeded, LastSuccessAt = Now.AddSeconds(-9), LastAttemptAt = Now.AddSeconds(-9), RecordCount = 200_000, NextRunAt = Now.AddSeconds(1) },
                new SyncState { Entity = SyncEntity.Profiles, Status = SyncStatusKind.Succeeded, LastSuccessAt = Now.AddMinutes(-3), RecordCount = 5000 },
                new SyncState { Entity = SyncEntity.Campaigns, Status = SyncStatusKind.Failed, LastSuccessAt = Now.AddMinutes(-1), LastAttemptAt = Now.AddSeconds(-5), LastError = "Klaviyo rejected the API key (401)." },
                new SyncState { Entity = SyncEntity.Flows, Status = SyncStatusKind.Running, LastAttemptAt = Now.AddSeconds(-2) });
            db.SyncRuns.AddRange(
                new SyncRun { Id = Guid.Parse("00000000-0000-0000-0000-000000000001"), Trigger = "SCHEDULE", Mode = "INCREMENTAL", Entities = "Events", StartedAt = Now.AddMinutes(-2), FinishedAt = Now.AddMinutes(-2).AddSeconds(3), Outcome = SyncRunOutcome.Succeeded, Records = 120, Requests = 2 },
                new SyncRun { Id = Guid.Parse("00000000-0000-0000-0000-000000000002"), Trigger = "MANUAL", Mode = "FULL", Entities = "Campaigns,CampaignReports", StartedAt = Now.AddMinutes(-1), FinishedAt = Now.AddSeconds(-50), Outcome = SyncRunOutcome.Failed, Requests = 1, Error = "Klaviyo rejected the API key (401)." },
                new SyncRun { Id = Guid.Parse("00000000-0000-0000-0000-000000000003"), Trigger = "SCHEDULE", Mode = "INCREMENTAL", Entities = "Flows", StartedAt = Now.AddSeconds(-2), Outcome = SyncRunOutcome.Running });
        });

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private const string StatusQuery = "{ syncStatus { entities { entity state lastSuccessAt lastAttemptAt recordCount lastError nextRunAt progress { processed total pages rate eta } } isSyncing lastUpdated dataSource } }";

    [Fact]
    public async Task Each_entity_reports_its_state()
    {
        var data = await factory.GraphQL().QueryAsync(StatusQuery);
        var entities = data["syncStatus"]!["entities"]!.AsArray().ToDictionary(e => e!["entity"]!.GetValue<string>());

        Assert.Equal(12, entities.Count);
        Assert.Equal("ON_TIME", entities["EVENTS"]!["state"]!.GetValue<string>());
        Assert.Equal(200_000, entities["EVENTS"]!["recordCount"]!.GetValue<int>());
        Assert.Equal("LATE", entities["PROFILES"]!["state"]!.GetValue<string>());   // 3 min > 2 × 1 min
        Assert.Equal("FAILED", entities["CAMPAIGNS"]!["state"]!.GetValue<string>());
        Assert.Equal("Klaviyo rejected the API key (401).", entities["CAMPAIGNS"]!["lastError"]!.GetValue<string>());
        Assert.Equal("SYNCING", entities["FLOWS"]!["state"]!.GetValue<string>());
        Assert.Equal("NEVER", entities["SEGMENTS"]!["state"]!.GetValue<string>());
        Assert.True(data["syncStatus"]!["isSyncing"]!.GetValue<bool>());
        Assert.Null(data["syncStatus"]!["lastUpdated"]); // some entities never synced
    }

    [Fact]
    public async Task Progress_published_on_the_bus_shows_until_the_run_completes()
    {
        var bus = factory.Service<EventBus>();
        var runId = Guid.NewGuid();
        bus.Publish(new SyncProgressEvent(runId, SyncEntity.Segments, 40, 100, 4, 20, Factory.Now.AddSeconds(3), Factory.Now));

        var during = await factory.GraphQL().QueryAsync(StatusQuery);
        var segments = during["syncStatus"]!["entities"]!.AsArray().Single(e => e!["entity"]!.GetValue<string>() == "SEGMENTS")!;
        Assert.Equal("SYNCING", segments["state"]!.GetValue<string>());
        Assert.Equal(40, segments["progress"]!["processed"]!.GetValue<int>());
        Assert.Equal(100, segments["progress"]!["total"]!.GetValue<int>());

        bus.Publish(new SyncRun { Id = runId, Trigger = "MANUAL", Mode = "INCREMENTAL", Entities = "Segments", Outcome = SyncRunOutcome.Succeeded });
        var after = await factory.GraphQL().QueryAsync(StatusQuery);
        Assert.Null(after["syncStatus"]!["entities"]!.AsArray().Single(e => e!["entity"]!.GetValue<string>() == "SEGMENTS")!["progress"]);
    }

    [Fact]
    public async Task Sync_runs_are_newest_first_with_their_numbers()
    {
        var data = await factory.GraphQL().QueryAsync("{ syncRuns(first: 2) { id trigger mode entities outcome records requests rateLimited durationSeconds error finishedAt } }");
        var runs = data["syncRuns"]!.AsArray();
        Assert.Equal(2, runs.Count);
        Assert.Equal("RUNNING", runs[0]!["outcome"]!.GetValue<string>());
        Assert.Null(runs[0]!["durationSeconds"]);
        Assert.Equal(["CAMPAIGNS", "CAMPAIGN_REPORTS"], runs[1]!["entities"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal(10, runs[1]!["durationSeconds"]!.GetValue<double>(), 6);
        Assert.Equal("FAILED", runs[1]!["outcome"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task SyncRuns_limits_first(int first)
    {
        Assert.Equal("INVALID_INPUT", await factory.GraphQL().ErrorCodeAsync($"{{ syncRuns(first: {first}) {{ id }} }}"));
    }
}
