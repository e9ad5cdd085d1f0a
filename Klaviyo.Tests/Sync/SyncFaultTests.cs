using System.Collections.Concurrent;
using System.Text.Json;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Entities;
using Klaviyo.Core.Sync.Events;
using Klaviyo.Sandbox;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Tests.Sync;

/// <summary>Every fault the sandbox can inject: the run says what happened, and the next run ends equal to the truth.</summary>
public sealed class SyncFaultTests : IClassFixture<SyncFaultTests.Factory>, IDisposable
{
    public sealed class Factory : SandboxApiFactory
    {
        // Many events stamped in the future, so that some are still ahead of the clock when synced. Eighteen pages of
        // events: more than a run reads ahead of its commits (five pages buffered, one in hand, five being written), so a
        // fault raised at the first commit lands mid-run.
        public Factory() => With("Klaviyo:ReportDailyBudget", "1").With("Sandbox:FutureEventShare", "0.05").With("Sandbox:EventsPerDay", "6000");
    }

    private readonly Factory _factory;
    private readonly ConcurrentQueue<ApiErrorEvent> _errors = new();
    private readonly IDisposable _subscription;

    public SyncFaultTests(Factory factory)
    {
        _factory = factory;
        _factory.SetFaults(new SandboxFaults());
        _subscription = factory.Service<EventBus>().Observe<ApiErrorEvent>().Subscribe(_errors.Enqueue);
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _factory.SetFaults(new SandboxFaults());
    }

    private async Task<SyncState> StateAsync(SyncEntity entity)
    {
        await using var db = await _factory.Db();
        return await db.SyncStates.AsNoTracking().SingleAsync(s => s.Entity == entity);
    }

    private async Task AssertEventsEqualTruthAsync()
    {
        var account = _factory.Account;
        var count = account.EventCountAt(_factory.Clock.GetUtcNow().UtcDateTime);
        await using var db = await _factory.Db();
        Assert.Equal(count, await db.Events.CountAsync());
        Assert.Equal(count, await db.MetricRollups.Where(r => r.Granularity == RollupGranularity.Day).SumAsync(r => r.Count));
    }

    [Fact]
    public async Task A_revoked_key_fails_at_once_as_a_configuration_error()
    {
        _factory.SetFaults(new SandboxFaults { InvalidKey = true });
        var run = await _factory.SyncAsync(SyncEntity.Metrics);

        Assert.Equal(SyncRunOutcome.Failed, run.Outcome);
        Assert.Equal(1, run.Requests); // 401 is never retried
        Assert.Contains("API key", run.Error);
        var state = await StateAsync(SyncEntity.Metrics);
        Assert.Equal(("KLAVIYO_AUTH", SyncStatusKind.Failed), (state.LastErrorCode, state.Status));
        Assert.Contains(_errors, e => e is { Code: "KLAVIYO_AUTH", Resolved: false, Entity: SyncEntity.Metrics });

        _factory.SetFaults(new SandboxFaults());
        Assert.Equal(SyncRunOutcome.Succeeded, (await _factory.SyncAsync(SyncEntity.Metrics)).Outcome);
        Assert.Contains(_errors, e => e is { Code: "KLAVIYO_AUTH", Resolved: true, Entity: SyncEntity.Metrics });
        Assert.Null((await StateAsync(SyncEntity.Metrics)).LastError);
    }

    [Fact]
    public async Task A_Retry_After_past_the_cap_fails_the_run_with_rate_limited_until()
    {
        _factory.SetFaults(new SandboxFaults { ForceThrottle = true, ThrottleRetryAfterSeconds = 3600 });
        var run = await _factory.SyncAsync(SyncEntity.Flows);

        Assert.Equal(SyncRunOutcome.Failed, run.Outcome);
        Assert.Equal(1, run.RateLimited);
        Assert.Contains("until", run.Error);
        Assert.Equal("KLAVIYO_RATE_LIMITED", (await StateAsync(SyncEntity.Flows)).LastErrorCode);
        Assert.Contains(_errors, e => e.Code == "KLAVIYO_RATE_LIMITED");
    }

    [Fact]
    public async Task A_429_storm_within_the_cap_is_waited_out()
    {
        _factory.SetFaults(new SandboxFaults { ForceThrottle = true, ThrottleRetryAfterSeconds = 1 });
        var coordinator = _factory.Service<SyncCoordinator>();
        var started = await coordinator.StartAsync([SyncEntity.Forms], SyncMode.Incremental, "TEST", CancellationToken.None);
        // The storm lasts two refused requests (the client may wait up to 8 Retry-Afters).
        var before = _factory.ClientRequests.Count;
        await Wait.UntilAsync(() => _factory.ClientRequests.Skip(before).Count(r => r.RequestUri!.AbsolutePath.Contains("/api/forms", StringComparison.Ordinal)) >= 2, TimeSpan.FromSeconds(30));
        _factory.SetFaults(new SandboxFaults());
        await coordinator.WhenFinishedAsync(started.Run!.Id).WaitAsync(TimeSpan.FromMinutes(1));

        var run = await _factory.RunAsync(started.Run.Id);
        Assert.Equal(SyncRunOutcome.Succeeded, run.Outcome);
        Assert.True(run.RateLimited >= 1);
    }

    [Fact]
    public async Task After_an_outage_the_first_sync_that_gets_through_makes_the_other_failed_entities_due_now()
    {
        _factory.SetFaults(new SandboxFaults { Outage = true });
        await _factory.SyncAsync(SyncEntity.Lists);
        await _factory.SyncAsync(SyncEntity.Forms);
        var waiting = (await StateAsync(SyncEntity.Forms)).NextRunAt;
        Assert.True(waiting > _factory.Clock.GetUtcNow().UtcDateTime, "a failed entity waits before its retry");

        _factory.SetFaults(new SandboxFaults());
        var recovered = await _factory.SyncAsync(SyncEntity.Lists);
        Assert.Equal(SyncRunOutcome.Succeeded, recovered.Outcome);
        // Klaviyo answers again: Forms does not sit out its retry wait.
        Assert.True((await StateAsync(SyncEntity.Forms)).NextRunAt <= recovered.FinishedAt);
    }

    [Fact]
    public async Task An_outage_fails_after_retries_and_recovery_is_announced()
    {
        _factory.SetFaults(new SandboxFaults { Outage = true });
        var run = await _factory.SyncAsync(SyncEntity.Segments);
        Assert.Equal(SyncRunOutcome.Failed, run.Outcome);
        Assert.Equal(7, run.Requests); // one try and six retries
        Assert.Equal("KLAVIYO_UNAVAILABLE", (await StateAsync(SyncEntity.Segments)).LastErrorCode);

        _factory.SetFaults(new SandboxFaults());
        Assert.Equal(SyncRunOutcome.Succeeded, (await _factory.SyncAsync(SyncEntity.Segments)).Outcome);
        Assert.Contains(_errors, e => e is { Code: "KLAVIYO_UNAVAILABLE", Resolved: true });
    }

    [Fact]
    public async Task Malformed_JSON_is_an_invalid_response_and_the_next_run_recovers()
    {
        _factory.SetFaults(new SandboxFaults { MalformedJson = true });
        var run = await _factory.SyncAsync(SyncEntity.Lists);
        Assert.Equal(SyncRunOutcome.Failed, run.Outcome);
        Assert.Equal("KLAVIYO_INVALID_RESPONSE", (await StateAsync(SyncEntity.Lists)).LastErrorCode);

        _factory.SetFaults(new SandboxFaults());
        Assert.Equal(SyncRunOutcome.Succeeded, (await _factory.SyncAsync(SyncEntity.Lists)).Outcome);
        await using var db = await _factory.Db();
        Assert.Equal(_factory.Account.Lists.Count, await db.Lists.CountAsync());
    }

    [Fact]
    public async Task Random_server_errors_are_retried_and_the_events_still_arrive_exactly_once()
    {
        _factory.SetFaults(new SandboxFaults { ErrorRate = 0.2 });
        var run = await _factory.SyncAsync(SyncMode.Full, SyncEntity.Events);
        Assert.Equal(SyncRunOutcome.Succeeded, run.Outcome);
        await AssertEventsEqualTruthAsync();
    }

    [Fact]
    public async Task A_key_revoked_mid_run_stops_the_run_and_the_next_resumes_from_the_checkpoint()
    {
        await _factory.ForgetEventsAsync();
        var bus = _factory.Service<EventBus>();
        var committed = 0L;
        using var revokeAfterFirstPage = bus.Observe<SyncProgressEvent>().Subscribe(p =>
        {
            if (p.Entity != SyncEntity.Events)
                return;
            committed = p.Processed;
            if (p.Pages >= 1)
                _factory.SetFaults(new SandboxFaults { InvalidKey = true });
        });
        var failed = await _factory.SyncAsync(SyncEntity.Events);
        revokeAfterFirstPage.Dispose();

        Assert.Equal(SyncRunOutcome.Failed, failed.Outcome);
        var checkpoint = JsonSerializer.Deserialize<EventCursor>((await StateAsync(SyncEntity.Events)).Cursor!)!;
        Assert.NotNull(checkpoint.Next); // the page to resume from
        var total = _factory.Account.EventCountAt(_factory.Clock.GetUtcNow().UtcDateTime);
        // The pages read ahead before the key was revoked are committed too (each with its checkpoint); no more.
        Assert.InRange(committed, 1000, total - 1000);
        await using (var db = await _factory.Db())
            Assert.Equal(committed, await db.Events.CountAsync()); // exactly the committed pages

        _factory.SetFaults(new SandboxFaults());
        var resumed = await _factory.SyncAsync(SyncEntity.Events);
        Assert.Equal(SyncRunOutcome.Succeeded, resumed.Outcome);
        Assert.Equal(total - committed, resumed.Records);
        await AssertEventsEqualTruthAsync();
    }

    [Fact]
    public async Task A_cancelled_run_keeps_its_pages_and_the_next_run_completes_them()
    {
        await _factory.ForgetEventsAsync();
        var coordinator = _factory.Service<SyncCoordinator>();
        var bus = _factory.Service<EventBus>();
        Guid runId = default;
        using var cancelAfterTwoPages = bus.Observe<SyncProgressEvent>().Subscribe(p =>
        {
            if (p.Entity == SyncEntity.Events && p.Pages >= 2)
                coordinator.Cancel(p.RunId);
        });
        runId = (await coordinator.StartAsync([SyncEntity.Events], SyncMode.Incremental, "TEST", CancellationToken.None)).Run!.Id;
        await coordinator.WhenFinishedAsync(runId).WaitAsync(TimeSpan.FromMinutes(1));
        cancelAfterTwoPages.Dispose();

        Assert.Equal(SyncRunOutcome.Cancelled, (await _factory.RunAsync(runId)).Outcome);
        Assert.Equal(SyncRunOutcome.Succeeded, (await _factory.SyncAsync(SyncEntity.Events)).Outcome);
        await AssertEventsEqualTruthAsync();
    }

    [Fact]
    public async Task The_daily_report_budget_is_enforced_by_the_client()
    {
        Assert.Equal(SyncRunOutcome.Succeeded, (await _factory.SyncAsync(SyncEntity.Metrics, SyncEntity.Forms)).Outcome);
        var first = await _factory.SyncAsync(SyncEntity.FormReports);
        var second = await _factory.SyncAsync(SyncEntity.FormReports);

        Assert.Equal(SyncRunOutcome.Succeeded, first.Outcome);
        Assert.Equal(SyncRunOutcome.Failed, second.Outcome);
        Assert.Equal(0, second.Requests); // refused before asking Klaviyo
        Assert.Equal("KLAVIYO_REPORT_LIMIT", (await StateAsync(SyncEntity.FormReports)).LastErrorCode);
    }

    [Fact]
    public async Task Events_stamped_in_the_future_never_move_the_cursor_past_the_run()
    {
        var run = await _factory.SyncAsync(SyncMode.Full, SyncEntity.Events);
        await using var db = await _factory.Db();
        var cursor = JsonSerializer.Deserialize<EventCursor>((await StateAsync(SyncEntity.Events)).Cursor!)!;

        Assert.True(await db.Events.AnyAsync(e => e.Datetime > run.FinishedAt), "the sandbox serves some events stamped in the future");
        Assert.True(cursor.Since <= run.StartedAt, $"cursor {cursor.Since:O} is past the run's start {run.StartedAt:O}");
    }

    [Fact]
    public async Task StartSync_over_GraphQL_joins_a_run_already_going()
    {
        var client = _factory.GraphQL();
        const string mutation = "mutation { startSync(input: { entities: [EVENTS], mode: FULL }) { run { id entities outcome } alreadyRunning joinedRunIds } }";
        var first = await client.QueryAsync(mutation);
        var second = await client.QueryAsync(mutation);
        var runId = first["startSync"]!["run"]!["id"]!.GetValue<string>();

        Assert.Equal("RUNNING", first["startSync"]!["run"]!["outcome"]!.GetValue<string>());
        Assert.Null(second["startSync"]!["run"]);
        Assert.Equal(["EVENTS"], second["startSync"]!["alreadyRunning"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal([runId], second["startSync"]!["joinedRunIds"]!.AsArray().Select(e => e!.GetValue<string>()));

        var cancel = await client.QueryAsync($"mutation {{ cancelSync(input: {{ runId: \"{runId}\" }}) {{ cancelled }} }}");
        await _factory.Service<SyncCoordinator>().WhenFinishedAsync(Guid.Parse(runId)).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(cancel["cancelSync"]!["cancelled"]!.GetValue<bool>() || (await _factory.RunAsync(Guid.Parse(runId))).Outcome == SyncRunOutcome.Succeeded);
        Assert.Equal("INVALID_INPUT", await client.ErrorCodeAsync("mutation { cancelSync(input: { runId: \"nope\" }) { cancelled } }"));
    }
}
