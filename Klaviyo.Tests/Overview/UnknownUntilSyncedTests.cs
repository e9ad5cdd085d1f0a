using Klaviyo.Core.Data;
using Klaviyo.Tests.Infrastructure;

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
}
