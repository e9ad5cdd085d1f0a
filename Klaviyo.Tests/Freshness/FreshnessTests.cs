using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Klaviyo.Sandbox;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace Klaviyo.Tests.Freshness;

/// <summary>Every dataSource transition DESIGN.md defines, cache bypass, stampede protection and eviction order, over a synced sandbox.</summary>
public sealed class FreshnessTests : IClassFixture<FreshnessTests.Factory>, IAsyncLifetime, IDisposable
{
    public sealed class Factory : SandboxApiFactory
    {
        public DatabaseFaults Database { get; } = new();

        public Factory() => WithServices(s => s.AddSingleton<IInterceptor>(Database));
    }

    private const string OverviewQuery = """
        query($range: DateRangeInput!, $forceFresh: Boolean) {
          overview(range: $range, forceFresh: $forceFresh) { totalRevenue { value } lastUpdated dataSource }
        }
        """;

    private readonly Factory _factory;
    private readonly GraphQLTestClient _client;
    private readonly ConcurrentQueue<ApiErrorEvent> _errors = new();
    private readonly IDisposable _subscription;

    public FreshnessTests(Factory factory)
    {
        _factory = factory;
        _client = factory.GraphQL();
        _subscription = factory.Service<EventBus>().Observe<ApiErrorEvent>().Subscribe(_errors.Enqueue);
    }

    public Task InitializeAsync() => _factory.SyncEverythingOnceAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _subscription.Dispose();
        _factory.Database.Down = false;
        _factory.SetFaults(new SandboxFaults());
    }

    private object Range(int daysAgo = 2) => new
    {
        start = _factory.Clock.GetUtcNow().UtcDateTime.Date.AddDays(-daysAgo),
        end = _factory.Clock.GetUtcNow().UtcDateTime.Date.AddDays(1),
    };

    private async Task<JsonNode> OverviewAsync(object range, bool forceFresh = false, Dictionary<string, string>? headers = null)
    {
        var client = _client;
        if (headers is not null)
        {
            var http = _factory.CreateClient();
            foreach (var (name, value) in headers)
                http.DefaultRequestHeaders.Add(name, value);
            client = new GraphQLTestClient(http);
        }
        return (await client.QueryAsync(OverviewQuery, new { range, forceFresh }))["overview"]!;
    }

    private static string Source(JsonNode payload) => payload["dataSource"]!.GetValue<string>();

    private static DateTime? LastUpdated(JsonNode payload) => payload["lastUpdated"]?.GetValue<DateTime>().ToUniversalTime();

    [Fact]
    public async Task An_answer_is_LIVE_when_computed_and_CACHE_when_served_again_with_the_same_lastUpdated()
    {
        var range = Range(1);
        var first = await OverviewAsync(range, forceFresh: true);
        var second = await OverviewAsync(range);
        Assert.Equal("LIVE", Source(first));
        Assert.Equal("CACHE", Source(second));
        Assert.NotNull(LastUpdated(first));
        Assert.Equal(LastUpdated(first), LastUpdated(second));
        Assert.Equal(first["totalRevenue"]!.ToJsonString(), second["totalRevenue"]!.ToJsonString());
    }

    [Fact]
    public async Task ForceFresh_and_a_no_cache_header_bypass_the_cache_and_repopulate_it()
    {
        var range = Range(1);
        await OverviewAsync(range);
        var before = _factory.Database.CountCommands("\"Profiles\"");

        Assert.Equal("LIVE", Source(await OverviewAsync(range, forceFresh: true)));
        Assert.Equal("LIVE", Source(await OverviewAsync(range, headers: new() { ["Cache-Control"] = "no-cache" })));
        var afterBypass = _factory.Database.CountCommands("\"Profiles\"");
        Assert.Equal("CACHE", Source(await OverviewAsync(range)));

        Assert.True(afterBypass > before, "bypassing read the database");
        Assert.Equal(afterBypass, _factory.Database.CountCommands("\"Profiles\"")); // the repopulated copy answered
    }

    [Fact]
    public async Task A_hundred_concurrent_identical_queries_on_a_cold_cache_run_the_database_query_once()
    {
        var range = Range(5); // a key no other test reads
        var before = _factory.Database.CountCommands("\"Profiles\"");

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => OverviewAsync(range)));

        // One computation counts active subscribers twice (this window and the previous one).
        Assert.Equal(2, _factory.Database.CountCommands("\"Profiles\"") - before);
        Assert.Single(answers.Select(a => a["totalRevenue"]!.ToJsonString()).Distinct());
        Assert.Equal(1, answers.Count(a => Source(a) == "LIVE"));
        Assert.Equal(99, answers.Count(a => Source(a) == "CACHE"));
    }

    [Fact]
    public async Task A_database_outage_serves_the_last_good_copy_as_FALLBACK_fails_without_one_and_recovers()
    {
        var range = Range(1);
        var good = await OverviewAsync(range, forceFresh: true);
        _errors.Clear();

        _factory.Database.Down = true;
        var fallback = await OverviewAsync(range, forceFresh: true);
        var cached = await OverviewAsync(range);
        var cold = await _client.PostAsync(OverviewQuery, new { range = Range(9) });
        var ready = await _factory.CreateClient().GetAsync("/health/ready");
        var diagnostics = await _client.QueryAsync("{ diagnostics { database { reachable error } errors { code source } } }");

        Assert.Equal("FALLBACK", Source(fallback));
        Assert.Equal(LastUpdated(good), LastUpdated(fallback));
        Assert.Equal(good["totalRevenue"]!.ToJsonString(), fallback["totalRevenue"]!.ToJsonString());
        Assert.Equal("FALLBACK", Source(cached));
        Assert.Equal("DATABASE_UNAVAILABLE", cold.Errors![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Null(cold.Data?["overview"]);
        var raised = Assert.Single(_errors);
        Assert.Equal((ApiErrorSource.Database, "DATABASE_UNAVAILABLE", false), (raised.Source, raised.Code, raised.Resolved));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("\"database\":{\"status\":\"Unhealthy\"", await ready.Content.ReadAsStringAsync());
        Assert.False(diagnostics["diagnostics"]!["database"]!["reachable"]!.GetValue<bool>());
        Assert.Contains(diagnostics["diagnostics"]!["errors"]!.AsArray(), e => e!["code"]!.GetValue<string>() == "DATABASE_UNAVAILABLE");

        _factory.Database.Down = false;
        var recovered = await OverviewAsync(range, forceFresh: true);
        Assert.Equal("LIVE", Source(recovered));
        Assert.Equal("CACHE", Source(await OverviewAsync(range)));
        Assert.Contains(_errors, e => e is { Code: "DATABASE_UNAVAILABLE", Resolved: true });
        Assert.Equal(HttpStatusCode.OK, (await _factory.CreateClient().GetAsync("/health/ready")).StatusCode);
    }

    public static TheoryData<string, string> KlaviyoFaults => new()
    {
        { "outage", "KLAVIYO_UNAVAILABLE" },
        { "invalid key", "KLAVIYO_AUTH" },
        { "429 storm", "KLAVIYO_RATE_LIMITED" },
    };

    [Theory]
    [MemberData(nameof(KlaviyoFaults))]
    public async Task A_failing_sync_turns_answers_reading_that_entity_FALLBACK_until_it_syncs_again(string fault, string code)
    {
        var range = Range(1);
        var good = await OverviewAsync(range, forceFresh: true);
        _errors.Clear();

        _factory.SetFaults(fault switch
        {
            "outage" => new SandboxFaults { Outage = true },
            "invalid key" => new SandboxFaults { InvalidKey = true },
            _ => new SandboxFaults { ForceThrottle = true, ThrottleRetryAfterSeconds = 3600 },
        });
        var failed = await _factory.SyncAsync(SyncEntity.Events);
        var cached = await OverviewAsync(range);
        var recomputed = await OverviewAsync(range, forceFresh: true);
        var unaffected = await _client.QueryAsync("{ forms(first: 1) { dataSource } }");
        var ready = await _factory.CreateClient().GetAsync("/health/ready");

        Assert.Equal(SyncRunOutcome.Failed, failed.Outcome);
        var raised = Assert.Single(_errors);
        Assert.Equal((code, SyncEntity.Events, false), (raised.Code, raised.Entity, raised.Resolved));
        Assert.Equal("FALLBACK", Source(cached));
        Assert.Equal("FALLBACK", Source(recomputed));
        Assert.Equal(LastUpdated(good), LastUpdated(cached));
        Assert.NotEqual("FALLBACK", unaffected["forms"]!["dataSource"]!.GetValue<string>());
        // Klaviyo failing is when the last good copy must go on being served: ready stays 200, Degraded, with the reason.
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var health = await ready.Content.ReadAsStringAsync();
        Assert.Contains("\"status\":\"Degraded\"", health);
        Assert.Contains(code, health);

        _factory.SetFaults(new SandboxFaults());
        Assert.Equal(SyncRunOutcome.Succeeded, (await _factory.SyncAsync(SyncEntity.Events)).Outcome);
        Assert.Contains(_errors, e => e is { Resolved: true, Entity: SyncEntity.Events } && e.Code == code);
        // LIVE when the recovering sync brought new events (evicted), CACHE when it confirmed what was there.
        Assert.Contains(Source(await OverviewAsync(range)), new[] { "LIVE", "CACHE" });
        Assert.Equal("CACHE", Source(await OverviewAsync(range)));
        Assert.Equal(HttpStatusCode.OK, (await _factory.CreateClient().GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Whole_responses_are_stored_only_when_every_root_field_after_fragments_came_from_the_field_cache()
    {
        var statistics = _factory.Service<CacheStatistics>();
        // A fragment holding a cached payload and syncRuns (read live, never from the field cache): never stored.
        const string mixed = "query Mixed { ...Both } fragment Both on Query { metrics { dataSource } syncRuns(first: 1) { id } }";
        for (var i = 0; i < 3; i++)
            await _client.QueryAsync(mixed);
        var hits = statistics.ResponseHits;
        await _client.QueryAsync(mixed);
        Assert.Equal(hits, statistics.ResponseHits);
        var run = await _factory.SyncAsync(SyncEntity.Lists);
        Assert.Equal(run.Id, Guid.Parse((await _client.QueryAsync(mixed))["syncRuns"]![0]!["id"]!.GetValue<string>()));

        // Two aliased payloads, one inside an inline fragment, both from the field cache: stored and served whole.
        const string aliased = "query Aliased { a: metrics { dataSource } ... on Query { b: metrics { lastUpdated } } }";
        for (var i = 0; i < 3; i++)
            await _client.QueryAsync(aliased);
        hits = statistics.ResponseHits;
        var whole = await _client.QueryAsync(aliased);
        Assert.Equal(hits + 1, statistics.ResponseHits);
        Assert.Equal("CACHE", whole["a"]!["dataSource"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_request_sent_once_is_not_stored_whole_and_one_sent_again_is()
    {
        const string query = "query SentAgain { metrics { dataSource } }";
        var statistics = _factory.Service<CacheStatistics>();
        await _client.QueryAsync(query); // the payload is in the field cache from here on
        var body = System.Text.Json.JsonSerializer.Serialize(new { query, extensions = new { requestId = Guid.NewGuid() } });

        var hits = statistics.ResponseHits;
        await _client.SendRawAsync(body); // from the field cache, but a body never seen: not kept
        await _client.SendRawAsync(body); // seen before: executed once more and kept
        Assert.Equal(hits, statistics.ResponseHits);
        var whole = await _client.SendRawAsync(body);

        Assert.Equal(hits + 1, statistics.ResponseHits);
        Assert.Null(whole.Errors);
    }

    [Fact]
    public async Task A_sync_evicts_what_it_changed_before_dataChanged_is_published()
    {
        const string query = "{ metrics { lastUpdated dataSource } }";
        // Computed, served from the field cache (which stores the whole response), served as a stored response.
        for (var i = 0; i < 3; i++)
            await _client.QueryAsync(query);
        Assert.True(_factory.Service<CacheStatistics>().ResponseHits > 0);
        var cache = _factory.Service<IFusionCache>();
        var seenOnEvent = new ConcurrentQueue<bool>();
        var changed = new TaskCompletionSource<DataChangedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = _factory.Service<EventBus>().Observe<DataChangedEvent>().Subscribe(e =>
        {
            if (!e.Entities.Contains(SyncEntity.Metrics))
                return;
            // Runs synchronously at publication: whatever is cached now is what a refetch would get.
            seenOnEvent.Enqueue(cache.TryGet<Fresh<IReadOnlyList<Metric>>>(CacheKeys.Metrics()).HasValue);
            changed.TrySetResult(e);
        });

        // Our copy of one metric differs from Klaviyo's: the sync writes it back.
        await using (var db = await _factory.Db())
            await db.Metrics.OrderBy(m => m.Id).Take(1).ExecuteUpdateAsync(m => m.SetProperty(x => x.Name, "renamed here"));
        _factory.Clock.Advance(TimeSpan.FromSeconds(5));
        var run = await _factory.SyncAsync(SyncEntity.Metrics);
        var published = await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((1, run.Id), (published.Records, published.RunId));
        var refetched = (await _client.QueryAsync(query))["metrics"]!;

        Assert.False(Assert.Single(seenOnEvent), "the old copy was still cached when dataChanged went out");
        Assert.Equal("LIVE", Source(refetched));
        Assert.Equal(published.LastUpdated, LastUpdated(refetched));
    }

    /// <summary>Collects the dataChanged events that name <paramref name="entity"/> until disposed.</summary>
    private IDisposable WatchChanges(SyncEntity entity, out ConcurrentQueue<DataChangedEvent> changed)
    {
        var queue = changed = new ConcurrentQueue<DataChangedEvent>();
        return _factory.Service<EventBus>().Observe<DataChangedEvent>().Subscribe(e =>
        {
            if (e.Entities.Contains(entity))
                queue.Enqueue(e);
        });
    }

    [Fact]
    public async Task A_sync_that_writes_nothing_moves_lastUpdated_without_recomputing_or_pushing_dataChanged()
    {
        const string query = "query Confirmed { metrics { lastUpdated dataSource } }";
        var statistics = _factory.Service<CacheStatistics>();
        using var listener = WatchChanges(SyncEntity.Metrics, out var changed);
        // Computed, then from the field cache, then as a stored whole response.
        for (var i = 0; i < 3; i++)
            await _client.QueryAsync(query);
        var before = (await _client.QueryAsync(query))["metrics"]!;
        var (misses, responseHits) = (statistics.Misses, statistics.ResponseHits);
        Assert.True(responseHits > 0);

        _factory.Clock.Advance(TimeSpan.FromSeconds(5));
        var run = await _factory.SyncAsync(SyncEntity.Metrics);
        Assert.Equal((SyncRunOutcome.Succeeded, 0L), (run.Outcome, run.Records));
        var after = (await _client.QueryAsync(query))["metrics"]!;

        // The data was confirmed, not changed: nothing recomputed, nothing pushed, and the label (even in a whole response) moved.
        Assert.Equal(misses, statistics.Misses);
        Assert.Empty(changed);
        Assert.Equal("CACHE", Source(after));
        Assert.InRange(LastUpdated(after)!.Value, run.StartedAt, run.FinishedAt!.Value);
        Assert.True(LastUpdated(after) > LastUpdated(before));
    }

    [Fact]
    public async Task A_full_resync_of_events_that_finds_nothing_new_evicts_nothing_and_announces_nothing()
    {
        // A full re-sync reads recent events first, as a first sync does; having synced whole before, it has nothing to announce at that point.
        const string query = "query Recent { overview(range: { preset: LAST_7_DAYS }) { totalRevenue { value } lastUpdated } }";
        var statistics = _factory.Service<CacheStatistics>();
        using var listener = WatchChanges(SyncEntity.Events, out var changed);
        for (var i = 0; i < 2; i++)
            await _client.QueryAsync(query);
        var misses = statistics.Misses;

        var run = await _factory.SyncAsync(SyncMode.Full, SyncEntity.Events);
        Assert.Equal((SyncRunOutcome.Succeeded, 0L), (run.Outcome, run.Records));
        await _client.QueryAsync(query);

        Assert.Equal(misses, statistics.Misses);
        Assert.Empty(changed);
    }

    [Fact]
    public async Task DataChanged_goes_out_at_most_once_a_second_per_entity_with_what_the_runs_wrote()
    {
        var publisher = new DataChangePublisher(_factory.Service<EventBus>(), TimeProvider.System);
        using var listener = WatchChanges(SyncEntity.Forms, out var changed);
        var runs = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        var started = System.Diagnostics.Stopwatch.StartNew();
        foreach (var (run, i) in runs.Select((r, i) => (r, i)))
            publisher.Changed(SyncEntity.Forms, i + 1, DateTime.UtcNow, run);

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            while (changed.Count < 2)
                await Task.Delay(20, timeout.Token);
        var events = changed.ToArray();
        Assert.Equal(1, events[0].Records);
        Assert.Equal((2L + 3 + 4 + 5, runs[^1]), (events[1].Records, events[1].RunId));
        Assert.True(started.Elapsed >= DataChangePublisher.MinimumInterval * 0.95, $"second event after {started.Elapsed}");
    }

    [Fact]
    public async Task Refresh_of_everything_leaves_fresh_reports_to_the_schedule_and_naming_them_refreshes_them()
    {
        const string everything = "mutation { refreshData(input: {}) { scopes skipped run { id } } }";
        var all = (await _client.QueryAsync(everything))["refreshData"]!;
        string[] reports = ["CAMPAIGN_REPORTS", "FLOW_REPORTS", "FORM_REPORTS"];
        Assert.Equal(reports, all["skipped"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.DoesNotContain(all["scopes"]!.AsArray(), e => reports.Contains(e!.GetValue<string>()));
        Assert.Contains(all["scopes"]!.AsArray(), e => e!.GetValue<string>() == "EVENTS");
        if (all["run"] is { } run)
            await _factory.Service<SyncCoordinator>().WhenFinishedAsync(Guid.Parse(run["id"]!.GetValue<string>())).WaitAsync(TimeSpan.FromMinutes(2));

        var named = (await _client.QueryAsync("mutation { refreshData(input: { scopes: [FORM_REPORTS] }) { scopes skipped run { id } } }"))["refreshData"]!;
        Assert.Equal("FORM_REPORTS", Assert.Single(named["scopes"]!.AsArray())!.GetValue<string>());
        Assert.Empty(named["skipped"]!.AsArray());
        if (named["run"] is { } formRun)
            await _factory.Service<SyncCoordinator>().WhenFinishedAsync(Guid.Parse(formRun["id"]!.GetValue<string>())).WaitAsync(TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task Ten_concurrent_refreshes_of_one_entity_start_one_run_and_the_others_join_it()
    {
        _factory.SetFaults(new SandboxFaults { LatencyMs = 300 });
        const string mutation = "mutation { refreshData(input: { scopes: [EVENTS] }) { scopes run { id } joinedRunIds alreadyRunning } }";

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _client.QueryAsync(mutation)));
        var payloads = answers.Select(a => a["refreshData"]!).ToList();
        var started = Assert.Single(payloads, p => p["run"] is not null)["run"]!["id"]!.GetValue<string>();
        await _factory.Service<SyncCoordinator>().WhenFinishedAsync(Guid.Parse(started)).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.All(payloads.Where(p => p["run"] is null), p =>
        {
            Assert.Equal(started, Assert.Single(p["joinedRunIds"]!.AsArray())!.GetValue<string>());
            Assert.Equal("EVENTS", Assert.Single(p["alreadyRunning"]!.AsArray())!.GetValue<string>());
        });
        Assert.All(payloads, p => Assert.Equal("EVENTS", Assert.Single(p["scopes"]!.AsArray())!.GetValue<string>()));
    }
}
