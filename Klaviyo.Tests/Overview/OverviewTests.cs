using System.Text.Json.Nodes;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Overview;

/// <summary>KPIs over <see cref="TestData"/>, each expected value worked out by hand in the comments.</summary>
public sealed class OverviewTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    private const string Query = """
        query($range: DateRangeInput!, $forceFresh: Boolean = false) {
          overview(range: $range, forceFresh: $forceFresh) {
            range { start end } previousRange { start end }
            totalRevenue { value previousValue changePercent }
            orders { value previousValue changePercent }
            activeSubscribers { value previousValue changePercent }
            formSubmissions { value previousValue changePercent }
            openRate { value previousValue changePercent }
            clickRate { value previousValue changePercent }
            conversionRate { value previousValue changePercent }
            revenuePerRecipient { value previousValue changePercent }
            seriesInterval
            revenueSeries { start campaign flow form other total }
            lastUpdated dataSource
          }
        }
        """;

    private Task<JsonNode> OverviewAsync(DateTime start, DateTime end, bool forceFresh = false) =>
        factory.GraphQL().QueryAsync(Query, new { range = new { start, end }, forceFresh }).ContinueWith(t => t.Result["overview"]!);

    private static void AssertKpi(JsonNode kpi, double? value, double? previous, double? change)
    {
        AssertNumber(value, kpi["value"]);
        AssertNumber(previous, kpi["previousValue"]);
        AssertNumber(change, kpi["changePercent"]);
    }

    private static void AssertNumber(double? expected, JsonNode? actual)
    {
        if (expected is null)
            Assert.Null(actual);
        else
            Assert.Equal(expected.Value, actual!.GetValue<double>(), 9);
    }

    [Fact]
    public async Task A_week_of_KPIs_matches_the_hand_worked_answers()
    {
        var overview = await OverviewAsync(TestData.Utc(3, 1), TestData.Utc(3, 8));

        // Orders in [03-01, 03-08): E1 100, E2 50, E3 25 (E4 at 03-08 00:00 is outside). Previous [02-22, 03-01): E5 80, E6 20.
        AssertKpi(overview["totalRevenue"]!, 175, 100, 75);
        AssertKpi(overview["orders"]!, 3, 2, 50);
        // Subscribed profiles created before the end: P1, P2 (P4 joins 03-09); before 03-01: P1.
        AssertKpi(overview["activeSubscribers"]!, 2, 1, 100);
        // Submitted Form: E8, E9 vs E10.
        AssertKpi(overview["formSubmissions"]!, 2, 1, 100);
        // Campaigns sent in the window: C1, C2, C5 — delivered 980 + 500 + 0 = 1480; previous: C4, delivered 400.
        AssertKpi(overview["openRate"]!, 590.0 / 1480, 200.0 / 400, (590.0 / 1480 - 0.5) / 0.5 * 100);
        AssertKpi(overview["clickRate"]!, 123.0 / 1480, 40.0 / 400, (123.0 / 1480 - 0.1) / 0.1 * 100);
        AssertKpi(overview["conversionRate"]!, 54.0 / 1480, 8.0 / 400, (54.0 / 1480 - 0.02) / 0.02 * 100);
        AssertKpi(overview["revenuePerRecipient"]!, 5150.0 / 1480, 800.0 / 400, (5150.0 / 1480 - 2) / 2 * 100);

        Assert.Equal(TestData.Utc(2, 22), overview["previousRange"]!["start"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal("DAY", overview["seriesInterval"]!.GetValue<string>());
        var series = overview["revenueSeries"]!.AsArray();
        Assert.Equal(7, series.Count);
        Assert.Equal(100, series[1]!["campaign"]!.GetValue<double>());
        Assert.Equal(50, series[1]!["flow"]!.GetValue<double>());
        Assert.Equal(150, series[1]!["total"]!.GetValue<double>());
        Assert.Equal(25, series[6]!["other"]!.GetValue<double>());
        Assert.Equal(175, series.Sum(p => p!["total"]!.GetValue<double>()));
    }

    [Fact]
    public async Task Ragged_bounds_read_hourly_rollups_at_the_edges()
    {
        // [03-02 11:00, 03-07 23:00): E2 (11:15) only — E1 is at 10:30, E3 at 23:59.
        // Previous window of 5 d 12 h: [02-25 23:00, 03-02 11:00): E5 80 and E1 100.
        var overview = await OverviewAsync(TestData.Utc(3, 2, 11), TestData.Utc(3, 7, 23));
        AssertKpi(overview["totalRevenue"]!, 50, 180, (50.0 - 180) / 180 * 100);
        AssertKpi(overview["orders"]!, 1, 2, -50);
    }

    [Fact]
    public async Task Bounds_are_truncated_to_the_hour_and_a_short_range_gets_an_hourly_series()
    {
        var overview = await OverviewAsync(TestData.Utc(3, 2, 10, 45), TestData.Utc(3, 2, 12, 10));
        Assert.Equal(TestData.Utc(3, 2, 10), overview["range"]!["start"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal("HOUR", overview["seriesInterval"]!.GetValue<string>());
        Assert.Equal([100.0, 50.0], overview["revenueSeries"]!.AsArray().Select(p => p!["total"]!.GetValue<double>()));
    }

    [Fact]
    public async Task Rates_with_nothing_delivered_are_null_not_zero()
    {
        var overview = await OverviewAsync(TestData.Utc(3, 3, 12), TestData.Utc(3, 3, 13)); // only C5, delivered 0; no campaign the hour before
        AssertKpi(overview["openRate"]!, null, null, null);
        AssertKpi(overview["revenuePerRecipient"]!, null, null, null);
    }

    [Fact]
    public async Task LastUpdated_is_the_oldest_sync_of_the_entities_it_reads()
    {
        var computed = await OverviewAsync(TestData.Utc(3, 1), TestData.Utc(3, 8), forceFresh: true);
        Assert.Equal(TestData.ReportsSyncedAt, computed["lastUpdated"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal("LIVE", computed["dataSource"]!.GetValue<string>());

        // Served again from the cache: the data's time, never the cache-write time.
        var cached = await OverviewAsync(TestData.Utc(3, 1), TestData.Utc(3, 8));
        Assert.Equal(TestData.ReportsSyncedAt, cached["lastUpdated"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal("CACHE", cached["dataSource"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("2026-03-08T00:00:00Z", "2026-03-01T00:00:00Z")]
    [InlineData("2026-03-01T00:10:00Z", "2026-03-01T00:50:00Z")]
    [InlineData("2020-01-01T00:00:00Z", "2026-01-01T00:00:00Z")]
    public async Task Empty_reversed_or_huge_ranges_are_invalid_input(string start, string end)
    {
        var code = await factory.GraphQL().ErrorCodeAsync(Query, new { range = new { start, end } });
        Assert.Equal("INVALID_INPUT", code);
    }
}
