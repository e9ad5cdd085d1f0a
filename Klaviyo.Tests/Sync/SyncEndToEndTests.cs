using System.Net.Http.Json;
using Klaviyo.Core.Data;
using Klaviyo.Core.Metrics;
using Klaviyo.Core.Sync;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Tests.Sync;

/// <summary>A sync against the sandbox leaves the database equal to the sandbox's truth.</summary>
public sealed class SyncEndToEndTests : IClassFixture<SyncEndToEndTests.Factory>
{
    /// <summary>Synced once for the class: the Reporting API's 2 calls a minute make a full sync take a minute.</summary>
    public sealed class Factory : SandboxApiFactory, IAsyncLifetime
    {
        public Task InitializeAsync() => SyncEverythingAsync();

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private readonly Factory _factory;

    public SyncEndToEndTests(Factory factory) => _factory = factory;

    [Fact]
    public async Task Every_event_profile_and_campaign_arrives_exactly_once()
    {
        var now = _factory.Clock.GetUtcNow().UtcDateTime;
        var account = _factory.Account;
        var truth = Enumerable.Range(0, (int)account.EventCountAt(now)).Select(i => account.Event(i)).ToList();
        await using var db = await _factory.Db();

        Assert.Equal(truth.Select(e => e.Id).Order(), (await db.Events.Select(e => e.Id).ToListAsync()).Order());
        Assert.Equal(truth.Sum(e => e.Value), await db.Events.SumAsync(e => e.Value), 6);
        Assert.Equal(account.ProfileCountAt(now), await db.Profiles.CountAsync());
        Assert.Equal(account.CampaignsAt(now).Select(c => c.Id).Order(), (await db.Campaigns.Select(c => c.Id).ToListAsync()).Order());
        Assert.Equal(account.Flows.Count, await db.Flows.CountAsync());
        Assert.Equal(account.Segments.Count, await db.Segments.CountAsync());
        Assert.Equal(account.Lists.Count, await db.Lists.CountAsync());
        Assert.Equal(account.Metrics.Count, await db.Metrics.CountAsync());
        Assert.All(await db.Campaigns.Include(c => c.Messages).ToListAsync(), c => Assert.Single(c.Messages));
    }

    [Fact]
    public async Task Stored_events_keep_their_attribution_and_consent_matches_the_sandbox()
    {
        var account = _factory.Account;
        var now = _factory.Clock.GetUtcNow().UtcDateTime;
        await using var db = await _factory.Db();
        var stored = await db.Events.ToDictionaryAsync(e => e.Id);
        for (var i = 0; i < account.EventCountAt(now); i += 97)
        {
            var e = account.Event(i);
            var s = stored[e.Id];
            Assert.Equal((e.MetricId, e.ProfileId, e.Datetime, e.Value, e.CampaignId, e.FlowId, e.FormId), (s.MetricId, s.ProfileId, s.Datetime, s.Value, s.CampaignId, s.FlowId, s.FormId));
        }
        var subscribed = Enumerable.Range(0, (int)account.ProfileCountAt(now)).Count(i => account.Profile(i).Consent == ProfileConsent.Subscribed);
        Assert.Equal(subscribed, await db.Profiles.CountAsync(p => p.EmailConsent == ProfileConsent.Subscribed));
    }

    [Fact]
    public async Task Rollups_equal_a_recomputation_from_the_stored_events()
    {
        await using var db = await _factory.Db();
        var expected = MetricRollupBuilder.From(await db.Events.ToListAsync()).Select(Key).Order().ToList();
        var actual = (await db.MetricRollups.ToListAsync()).Select(Key).Order().ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Campaign_rates_equal_the_sandbox_reports_and_agree_with_the_events()
    {
        await using var db = await _factory.Db();
        var metrics = await db.Metrics.ToDictionaryAsync(m => m.Name, m => m.Id);
        var stats = await db.CampaignStatistics.ToListAsync();
        Assert.NotEmpty(stats);
        foreach (var s in stats)
        {
            var events = db.Events.Where(e => e.CampaignId == s.CampaignId && e.Datetime >= s.WindowStart && e.Datetime < s.WindowEnd);
            Assert.Equal(await events.CountAsync(e => e.MetricId == metrics["Received Email"]), s.Values.Delivered);
            Assert.Equal(await events.Where(e => e.MetricId == metrics["Opened Email"]).Select(e => e.ProfileId).Distinct().CountAsync(), s.Values.OpensUnique);
            Assert.Equal(await events.Where(e => e.MetricId == metrics["Placed Order"]).SumAsync(e => e.Value), s.Values.ConversionValue, 6);
        }
        var data = await _factory.GraphQL().QueryAsync("{ campaigns(first: 100, where: { delivered: { gt: 0 } }) { nodes { delivered opensUnique openRate } } }");
        Assert.All(data["campaigns"]!["nodes"]!.AsArray(), n =>
            Assert.Equal(n!["opensUnique"]!.GetValue<double>() / n["delivered"]!.GetValue<double>(), n["openRate"]!.GetValue<double>(), 12));
    }

    [Fact]
    public async Task A_second_full_sync_changes_nothing()
    {
        await using var before = await _factory.Db();
        var events = await before.Events.CountAsync();
        var rollups = await before.MetricRollups.SumAsync(r => r.Count);

        var run = await _factory.SyncAsync(SyncMode.Full, SyncEntity.Events, SyncEntity.Profiles, SyncEntity.Campaigns);

        await using var after = await _factory.Db();
        Assert.Equal(SyncRunOutcome.Succeeded, run.Outcome);
        Assert.Equal(0, run.Records);
        Assert.Equal(events, await after.Events.CountAsync());
        Assert.Equal(rollups, await after.MetricRollups.SumAsync(r => r.Count));
    }

    [Fact]
    public async Task Sync_state_and_freshness_follow_the_runs()
    {
        var data = await _factory.GraphQL().QueryAsync("{ syncStatus { entities { entity state recordCount lastSuccessAt } lastUpdated } overview(range: { start: \"2020-01-01T00:00:00Z\", end: \"2021-01-01T00:00:00Z\" }) { lastUpdated } }");
        var entities = data["syncStatus"]!["entities"]!.AsArray();
        // Events sync every 5 s: while the reports waited out their rate limit, events may have turned LATE.
        Assert.All(entities, e => Assert.Contains(e!["state"]!.GetValue<string>(), new[] { "ON_TIME", "LATE" }));
        Assert.Equal((int)_factory.Account.EventCountAt(_factory.Clock.GetUtcNow().UtcDateTime), entities.Single(e => e!["entity"]!.GetValue<string>() == "EVENTS")!["recordCount"]!.GetValue<int>());
        Assert.NotNull(data["overview"]!["lastUpdated"]);
    }

    [Fact]
    public async Task The_sandbox_metric_aggregates_agree_with_the_synced_daily_rollups()
    {
        await using var db = await _factory.Db();
        var order = await db.Metrics.SingleAsync(m => m.Name == MetricNames.PlacedOrder);
        var start = _factory.Account.Start;
        var end = _factory.Clock.GetUtcNow().UtcDateTime.Date.AddDays(1);
        var body = new
        {
            data = new
            {
                type = "metric-aggregate",
                attributes = new
                {
                    metric_id = order.Id,
                    measurements = new[] { "count", "sum_value" },
                    interval = "day",
                    filter = new[] { $"greater-or-equal(datetime,{start:yyyy-MM-ddTHH:mm:ss}Z)", $"less-than(datetime,{end:yyyy-MM-ddTHH:mm:ss}Z)" },
                },
            },
        };
        using var request = SandboxApiFactory.SandboxRequest(HttpMethod.Post, "/api/metric-aggregates");
        request.Content = JsonContent.Create(body);
        var response = await _factory.CreateClient().SendAsync(request);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var dates = json["data"]!["attributes"]!["dates"]!.AsArray().Select(d => DateTime.Parse(d!.GetValue<string>(), null, System.Globalization.DateTimeStyles.AdjustToUniversal)).ToList();
        var counts = json["data"]!["attributes"]!["data"]![0]!["measurements"]!["count"]!.AsArray().Select(c => c!.GetValue<double>()).ToList();

        var rollups = await db.MetricRollups.Where(r => r.MetricId == order.Id && r.Granularity == RollupGranularity.Day).ToListAsync();
        for (var i = 0; i < dates.Count; i++)
            Assert.Equal(rollups.Where(r => r.BucketStart == dates[i]).Sum(r => r.Count), (long)counts[i]);
        Assert.True(counts.Sum() > 0);
    }

    private static (string, int, DateTime, int, long, double) Key(MetricRollup r) =>
        (r.MetricId, (int)r.Granularity, r.BucketStart, (int)r.Channel, r.Count, Math.Round(r.SumValue, 6));
}

/// <summary>Every request the client sent during a full sync is one the spec allows.</summary>
public sealed class ClientRequestSpecTests(SyncEndToEndTests.Factory factory) : IClassFixture<SyncEndToEndTests.Factory>
{
    [Fact]
    public void Paths_parameters_filters_sorts_page_sizes_and_headers_follow_the_spec()
    {
        var requests = factory.ClientRequests.ToList();
        Assert.True(requests.Count > 20);
        foreach (var request in requests)
        {
            var uri = request.RequestUri!;
            var path = uri.AbsolutePath["/sandbox/klaviyo".Length..];
            var endpoint = Sandbox.KlaviyoSpec.Endpoints.SingleOrDefault(e => e.Matches(request.Method.Method, path));
            Assert.True(endpoint is not null, $"{request.Method} {path} is not an operation of the spec");
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", request.Headers.GetValues("revision").Single());
            Assert.Equal("Klaviyo-API-Key", request.Headers.Authorization!.Scheme);
            Assert.Contains("application/vnd.api+json", request.Headers.Accept.Select(a => a.MediaType));

            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query);
            if (query.TryGetValue("filter", out var filter))
                foreach (var condition in Klaviyo.Api.KlaviyoFilter.Parse(filter.ToString()))
                {
                    Assert.True(endpoint.Filters.TryGetValue(condition.Field, out var operators), $"{endpoint.OperationId}: filter field '{condition.Field}' is not allowed");
                    Assert.Contains(condition.Operator, operators);
                }
            if (query.TryGetValue("sort", out var sort))
                Assert.Contains(sort.ToString().TrimStart('-'), endpoint.Sorts);
            if (query.TryGetValue("page[size]", out var size))
                Assert.InRange(int.Parse(size!, System.Globalization.CultureInfo.InvariantCulture), 1, endpoint.MaxPageSize ?? 0);
            if (query.TryGetValue("include", out var include))
                Assert.All(include.ToString().Split(','), i => Assert.Contains(i, endpoint.Includes));
            Assert.All(query.Keys, key => Assert.Matches(@"^(filter|sort|include|page\[size\]|page\[cursor\]|additional-fields\[[a-z-]+\]|fields\[[a-z-]+\])$", key));
        }
    }

    [Fact]
    public void Page_sizes_are_each_endpoints_maximum()
    {
        foreach (var request in factory.ClientRequests.Where(r => r.Method == HttpMethod.Get))
        {
            var path = request.RequestUri!.AbsolutePath["/sandbox/klaviyo".Length..];
            var endpoint = Sandbox.KlaviyoSpec.Endpoints.Single(e => e.Matches("GET", path));
            if (endpoint.MaxPageSize is int max && !path.Contains("/api/segments/") && !path.Contains("/api/lists/"))
                Assert.Contains($"page%5Bsize%5D={max}", request.RequestUri.Query);
        }
    }
}
