using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Klaviyo.Sandbox;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Tests.Overview;

/// <summary>
/// What the server does not know yet is null, never 0: right after a fresh start every KPI is null
/// with lastUpdated null, the series is empty, metricSeries is a coded error and the CSV's cells are
/// empty; each KPI becomes known as soon as what it reads has synced, reports or not.
/// </summary>
public sealed class UnknownUntilSyncedTests : IAsyncLifetime
{
    private readonly SandboxApiFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    private const string Overview = """
        { overview(range: { preset: LAST_30_DAYS }) {
            totalRevenue { value previousValue changePercent lastUpdated } orders { value lastUpdated }
            activeSubscribers { value lastUpdated } formSubmissions { value lastUpdated }
            openRate { value lastUpdated } conversionRate { value lastUpdated }
            revenueSeries { total } previousRevenueSeries { total } attributedRevenueShare lastUpdated } }
        """;

    private static readonly string[] Kpis = ["totalRevenue", "orders", "activeSubscribers", "formSubmissions", "openRate", "conversionRate"];

    [Fact]
    public async Task Before_the_first_sync_every_KPI_is_null_with_lastUpdated_null_and_the_series_is_empty()
    {
        var o = (await _factory.GraphQL().QueryAsync(Overview))["overview"]!;
        foreach (var kpi in Kpis)
        {
            Assert.Null(o[kpi]!["value"]);
            Assert.Null(o[kpi]!["lastUpdated"]);
        }
        Assert.Null(o["totalRevenue"]!["previousValue"]);
        Assert.Empty(o["revenueSeries"]!.AsArray());
        Assert.Empty(o["previousRevenueSeries"]!.AsArray());
        Assert.Null(o["attributedRevenueShare"]);
        Assert.Null(o["lastUpdated"]);

        var series = await _factory.GraphQL().PostAsync("""{ metricSeries(metricId: "M1", range: { preset: LAST_7_DAYS }, interval: DAY, measurement: COUNT) { total } }""");
        Assert.Equal("NOT_YET_SYNCED", series.Errors![0]!["extensions"]!["code"]!.GetValue<string>());

        var csv = await _factory.CreateClient().GetStringAsync("/export/overview.csv?range=LAST_30_DAYS");
        var revenueRow = csv.Split('\n').Single(l => l.StartsWith("totalRevenue,", StringComparison.Ordinal)).TrimEnd('\r');
        Assert.Equal("totalRevenue,,,", revenueRow);
    }

    [Fact]
    public async Task Revenue_and_orders_are_known_once_events_synced_while_the_report_rates_wait_for_their_reports()
    {
        await _factory.SyncAsync(SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Events);
        var o = (await _factory.GraphQL().QueryAsync(Overview))["overview"]!;

        foreach (var kpi in new[] { "totalRevenue", "orders", "formSubmissions" })
        {
            Assert.NotNull(o[kpi]!["lastUpdated"]);
            Assert.True(o[kpi]!["value"]!.GetValue<double>() > 0, $"{kpi} is known after events synced");
        }
        Assert.NotEmpty(o["revenueSeries"]!.AsArray());
        foreach (var kpi in new[] { "activeSubscribers", "openRate", "conversionRate" })
        {
            Assert.Null(o[kpi]!["value"]);
            Assert.Null(o[kpi]!["lastUpdated"]);
        }
        Assert.Null(o["lastUpdated"]); // the payload's: the oldest of everything it reads

        await _factory.SyncAsync(SyncEntity.Profiles, SyncEntity.Campaigns);
        await _factory.SyncAsync(SyncEntity.CampaignReports);
        o = (await _factory.GraphQL().QueryAsync(Overview))["overview"]!;
        foreach (var kpi in Kpis)
            Assert.NotNull(o[kpi]!["lastUpdated"]);
        Assert.NotNull(o["activeSubscribers"]!["value"]);
    }

    [Fact]
    public async Task A_first_sync_makes_the_last_30_days_known_before_the_older_history_and_no_comparison_before_its_own()
    {
        await using var factory = new SandboxApiFactory();
        await ReadOnlyTheRecentEventsAsync(factory);

        const string query = """
            { last30: overview(range: { preset: LAST_30_DAYS }) { totalRevenue { value previousValue lastUpdated previousLastUpdated } revenueSeries { total } previousRevenueSeries { total } }
              last90: overview(range: { preset: LAST_90_DAYS }, compareTo: NONE) { totalRevenue { value lastUpdated } revenueSeries { total } } }
            """;
        var partial = await factory.GraphQL().QueryAsync(query);
        var recent = partial["last30"]!["totalRevenue"]!;
        Assert.True(recent["value"]!.GetValue<double>() > 0);
        Assert.NotNull(recent["lastUpdated"]);
        Assert.Null(recent["previousValue"]); // the 30 days before are older history, not read yet
        Assert.Null(recent["previousLastUpdated"]);
        Assert.NotEmpty(partial["last30"]!["revenueSeries"]!.AsArray());
        Assert.Empty(partial["last30"]!["previousRevenueSeries"]!.AsArray());
        Assert.Null(partial["last90"]!["totalRevenue"]!["value"]);
        Assert.Null(partial["last90"]!["totalRevenue"]!["lastUpdated"]);
        Assert.Empty(partial["last90"]!["revenueSeries"]!.AsArray());

        factory.SetFaults(new SandboxFaults());
        Assert.Equal(SyncRunOutcome.Succeeded, (await factory.SyncAsync(SyncEntity.Events)).Outcome);
        var whole = await factory.GraphQL().QueryAsync(query);
        // What was shown early is what the whole history says.
        Assert.Equal(recent["value"]!.GetValue<double>(), whole["last30"]!["totalRevenue"]!["value"]!.GetValue<double>(), 6);
        Assert.True(whole["last30"]!["totalRevenue"]!["previousValue"]!.GetValue<double>() > 0);
        Assert.NotNull(whole["last30"]!["totalRevenue"]!["previousLastUpdated"]);
        Assert.True(whole["last90"]!["totalRevenue"]!["value"]!.GetValue<double>() > recent["value"]!.GetValue<double>());
        await using var db = await factory.Db();
        Assert.Equal(factory.Account.EventCountAt(factory.Clock.GetUtcNow().UtcDateTime), await db.Events.CountAsync());
    }

    [Fact]
    public async Task While_the_older_events_arrive_the_sync_status_says_from_when_the_recent_ones_are_in()
    {
        await using var factory = new SandboxApiFactory();
        await ReadOnlyTheRecentEventsAsync(factory);
        const string query = "{ syncStatus { entities { entity lastSuccessAt coveredFrom } } }";
        static System.Text.Json.Nodes.JsonNode EventsRow(System.Text.Json.Nodes.JsonNode data) =>
            data["syncStatus"]!["entities"]!.AsArray().Single(e => e!["entity"]!.GetValue<string>() == "EVENTS")!;

        var partial = EventsRow(await factory.GraphQL().QueryAsync(query));
        Assert.Null(partial["lastSuccessAt"]);
        var since = factory.Clock.GetUtcNow().UtcDateTime - partial["coveredFrom"]!.GetValue<DateTime>().ToUniversalTime();
        Assert.InRange(since, TimeSpan.FromDays(31), TimeSpan.FromDays(33)); // Sync:RecentFirst, 32 days

        factory.SetFaults(new SandboxFaults());
        Assert.Equal(SyncRunOutcome.Succeeded, (await factory.SyncAsync(SyncEntity.Events)).Outcome);
        var whole = EventsRow(await factory.GraphQL().QueryAsync(query));
        Assert.NotNull(whole["lastSuccessAt"]);
        Assert.Null(whole["coveredFrom"]);
    }

    /// <summary>A first sync of 75 days of events that stops (its key revoked) right after announcing the recent part.</summary>
    private static async Task ReadOnlyTheRecentEventsAsync(SandboxApiFactory factory)
    {
        factory.With("Sandbox:HistoryDays", "75").With("Sandbox:EventsPerDay", "300");
        await factory.SyncAsync(SyncEntity.Account, SyncEntity.Metrics);
        // The recent part announces itself (dataChanged) before the older history is read: the key is revoked right then.
        var announced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (factory.Service<EventBus>().Observe<DataChangedEvent>().Subscribe(e =>
        {
            if (e.Entities.Contains(SyncEntity.Events) && !announced.Task.IsCompleted)
            {
                factory.SetFaults(new SandboxFaults { InvalidKey = true });
                announced.TrySetResult();
            }
        }))
            Assert.Equal(SyncRunOutcome.Failed, (await factory.SyncAsync(SyncEntity.Events)).Outcome);
        Assert.True(announced.Task.IsCompleted);
    }
}
