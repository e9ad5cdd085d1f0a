using System.Text.Json.Nodes;
using Klaviyo.Core.Data;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Klaviyo.Tests.Overview;

/// <summary>
/// The overview in the account's calendar (America/New_York, which changed to standard time on
/// 2026-11-01), compared exactly with a recomputation from the sandbox's raw events.
/// </summary>
public sealed class CalendarOverviewTests(CalendarOverviewTests.Factory factory) : IClassFixture<CalendarOverviewTests.Factory>, IAsyncLifetime
{
    public sealed class Factory : SandboxApiFactory
    {
        // 35 days of history: the window crosses the DST change of 2026-11-01.
        public Factory() => With("Sandbox:HistoryDays", "35").With("Sandbox:EventsPerDay", "300");
    }

    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    private const string Overview = """
        query($range: DateRangeInput!, $compareTo: CompareTo, $interval: Interval) {
          overview(range: $range, compareTo: $compareTo, seriesInterval: $interval) {
            range { start end } previousRange { start end } compareTo timezone currency
            totalRevenue { value previousValue changePercent } orders { value previousValue }
            seriesInterval revenueSeries { start end total } previousRevenueSeries { start end total }
          }
        }
        """;

    public async Task InitializeAsync()
    {
        await factory.SyncEverythingOnceAsync();
        await factory.SyncAsync(SyncEntity.Account);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonNode> OverviewAsync(object range, string compareTo = "PREVIOUS_PERIOD", string? interval = null) =>
        (await factory.GraphQL().QueryAsync(Overview, new { range, compareTo, interval }))["overview"]!;

    private static DateTime Instant(JsonNode node) => node.GetValue<DateTime>().ToUniversalTime();

    /// <summary>Placed orders the sandbox served in [from, to), from its raw events.</summary>
    private (long Count, double Revenue) Recompute(DateTime from, DateTime to)
    {
        var account = factory.Account;
        var placedOrder = account.Metrics.Single(m => m.Name == "Placed Order").Id;
        var events = account.EventsHappenedBetween(from, to, factory.Clock.GetUtcNow().UtcDateTime).Where(e => e.MetricId == placedOrder).ToList();
        return (events.Count, events.Sum(e => e.Value));
    }

    [Fact]
    public async Task The_account_says_its_time_zone_and_currency()
    {
        var account = (await factory.GraphQL().QueryAsync("{ account { name timezone currency dataSource } }"))["account"]!;
        Assert.Equal("America/New_York", account["timezone"]!.GetValue<string>());
        Assert.Equal("USD", account["currency"]!.GetValue<string>());
        Assert.Equal("Sandbox account", account["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Calendar_days_across_the_DST_change_start_at_local_midnights_and_equal_the_raw_events()
    {
        var overview = await OverviewAsync(new { from = "2026-10-30", to = "2026-11-03" });

        // EDT (UTC−4) before the change, EST (UTC−5) after it.
        Assert.Equal(new DateTime(2026, 10, 30, 4, 0, 0, DateTimeKind.Utc), Instant(overview["range"]!["start"]!));
        Assert.Equal(new DateTime(2026, 11, 4, 5, 0, 0, DateTimeKind.Utc), Instant(overview["range"]!["end"]!));
        Assert.Equal(new DateTime(2026, 10, 25, 4, 0, 0, DateTimeKind.Utc), Instant(overview["previousRange"]!["start"]!));
        Assert.Equal(new DateTime(2026, 10, 30, 4, 0, 0, DateTimeKind.Utc), Instant(overview["previousRange"]!["end"]!));
        Assert.Equal("America/New_York", overview["timezone"]!.GetValue<string>());

        var series = overview["revenueSeries"]!.AsArray();
        Assert.Equal("DAY", overview["seriesInterval"]!.GetValue<string>());
        Assert.Equal(5, series.Count);
        // 1 November had 25 hours.
        Assert.Equal(TimeSpan.FromHours(25), Instant(series[2]!["end"]!) - Instant(series[2]!["start"]!));
        foreach (var point in series)
        {
            var (_, revenue) = Recompute(Instant(point!["start"]!), Instant(point["end"]!));
            Assert.Equal(Math.Round(revenue, 6), Math.Round(point["total"]!.GetValue<double>(), 6));
        }

        var (count, total) = Recompute(Instant(overview["range"]!["start"]!), Instant(overview["range"]!["end"]!));
        Assert.Equal(count, overview["orders"]!["value"]!.GetValue<double>());
        Assert.Equal(Math.Round(total, 6), Math.Round(overview["totalRevenue"]!["value"]!.GetValue<double>(), 6));
        Assert.Equal(Math.Round(series.Sum(p => p!["total"]!.GetValue<double>()), 6), Math.Round(overview["totalRevenue"]!["value"]!.GetValue<double>(), 6));
        var (_, previous) = Recompute(Instant(overview["previousRange"]!["start"]!), Instant(overview["previousRange"]!["end"]!));
        Assert.Equal(Math.Round(previous, 6), Math.Round(overview["totalRevenue"]!["previousValue"]!.GetValue<double>(), 6));
    }

    [Fact]
    public async Task The_DST_day_has_25_hourly_buckets_that_add_up()
    {
        var overview = await OverviewAsync(new { from = "2026-11-01", to = "2026-11-01" }, "NONE", "HOUR");
        var series = overview["revenueSeries"]!.AsArray();
        Assert.Equal(25, series.Count);
        Assert.Null(overview["previousRange"]);
        Assert.Null(overview["previousRevenueSeries"]);
        Assert.Null(overview["totalRevenue"]!["changePercent"]);
        var (_, revenue) = Recompute(Instant(overview["range"]!["start"]!), Instant(overview["range"]!["end"]!));
        Assert.Equal(Math.Round(revenue, 6), Math.Round(series.Sum(p => p!["total"]!.GetValue<double>()), 6));
    }

    [Fact]
    public async Task A_range_including_today_ends_now_and_compares_the_same_elapsed_time()
    {
        var before = DateTime.UtcNow.AddSeconds(-1);
        var overview = await OverviewAsync(new { preset = "LAST_7_DAYS" });
        var after = DateTime.UtcNow;

        var (start, end) = (Instant(overview["range"]!["start"]!), Instant(overview["range"]!["end"]!));
        Assert.InRange(end, before, after);
        var today = NodaTime.Instant.FromDateTimeUtc(end).InZone(NewYork).Date;
        Assert.Equal(NewYork.AtStartOfDay(today.PlusDays(-6)).ToDateTimeUtc(), start);
        // The comparison ends at the same local time of day, 7 days earlier.
        var previousEnd = Instant(overview["previousRange"]!["end"]!);
        Assert.Equal(NodaTime.Instant.FromDateTimeUtc(end).InZone(NewYork).LocalDateTime.PlusDays(-7), NodaTime.Instant.FromDateTimeUtc(previousEnd).InZone(NewYork).LocalDateTime);

        var series = overview["revenueSeries"]!.AsArray();
        Assert.Equal(end, Instant(series[^1]!["end"]!));
        Assert.Equal(Math.Round(series.Sum(p => p!["total"]!.GetValue<double>()), 6), Math.Round(overview["totalRevenue"]!["value"]!.GetValue<double>(), 6));
        await using var db = await factory.Db();
        var placedOrder = factory.Account.Metrics.Single(m => m.Name == "Placed Order").Id;
        var stored = await db.Events.Where(e => e.MetricId == placedOrder && e.Datetime >= start && e.Datetime < end).Select(e => e.Value).ToListAsync();
        Assert.Equal(stored.Count, overview["orders"]!["value"]!.GetValue<double>());
        Assert.Equal(Math.Round(stored.Sum(), 6), Math.Round(overview["totalRevenue"]!["value"]!.GetValue<double>(), 6));
    }

    [Fact]
    public async Task A_year_back_comparison_lines_up_weekdays()
    {
        var overview = await OverviewAsync(new { from = "2026-11-02", to = "2026-11-08" }, "PREVIOUS_YEAR");
        var previousStart = NodaTime.Instant.FromDateTimeUtc(Instant(overview["previousRange"]!["start"]!)).InZone(NewYork);
        Assert.Equal(new LocalDate(2025, 11, 3), previousStart.Date);
        Assert.Equal(IsoDayOfWeek.Monday, previousStart.DayOfWeek);
        Assert.Equal(0, previousStart.TimeOfDay.Hour);
        Assert.Equal(7, overview["previousRevenueSeries"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_conversion_metric_is_chosen_echoed_and_never_borrowed()
    {
        var account = factory.Account;
        var placedOrder = account.Metrics.Single(m => m.Name == "Placed Order");
        var submitted = account.Metrics.Single(m => m.Name == "Submitted Form");
        var startedCheckout = account.Metrics.Single(m => m.Name == "Started Checkout");
        var listed = (await factory.GraphQL().QueryAsync("{ conversionMetrics { nodes { id name integrationName } } }"))["conversionMetrics"]!["nodes"]!.AsArray();
        Assert.Equal([placedOrder.Id, startedCheckout.Id], listed.Select(m => m!["id"]!.GetValue<string>())); // the metrics with a value, by name
        Assert.Equal("Shopify", listed[0]!["integrationName"]!.GetValue<string>());

        const string query = """
            query($id: ID) { overview(range: { from: "2026-11-02", to: "2026-11-08" }, conversionMetricId: $id) {
              conversionMetric { id name } conversionStatisticsAvailable orders { value } totalRevenue { value } conversionRate { value } openRate { value } } }
            """;
        var byDefault = (await factory.GraphQL().QueryAsync(query, new { id = (string?)null }))["overview"]!;
        var explicitly = (await factory.GraphQL().QueryAsync(query, new { id = placedOrder.Id }))["overview"]!;
        Assert.Equal(placedOrder.Id, byDefault["conversionMetric"]!["id"]!.GetValue<string>());
        Assert.Equal(byDefault.ToJsonString(), explicitly.ToJsonString());
        Assert.True(byDefault["conversionStatisticsAvailable"]!.GetValue<bool>());

        // Another metric: its own events count, and the campaign conversion statistics (fetched for Placed Order) are null, not Placed Order's.
        var forms = (await factory.GraphQL().QueryAsync(query, new { id = submitted.Id }))["overview"]!;
        Assert.Equal("Submitted Form", forms["conversionMetric"]!["name"]!.GetValue<string>());
        Assert.False(forms["conversionStatisticsAvailable"]!.GetValue<bool>());
        Assert.Null(forms["conversionRate"]!["value"]);
        var start = NewYork.AtStartOfDay(new LocalDate(2026, 11, 2)).ToDateTimeUtc();
        var end = NewYork.AtStartOfDay(new LocalDate(2026, 11, 9)).ToDateTimeUtc();
        var submissions = account.EventsHappenedBetween(start, end, factory.Clock.GetUtcNow().UtcDateTime).Count(e => e.MetricId == submitted.Id);
        Assert.Equal(submissions, forms["orders"]!["value"]!.GetValue<double>());

        Assert.Equal("NOT_FOUND", await factory.GraphQL().ErrorCodeAsync(query, new { id = "NOPE" }));
    }

    [Fact]
    public async Task Campaign_statistics_split_by_channel_and_SMS_never_has_an_open_rate()
    {
        const string query = """
            query($channel: Channel) { overview(range: { preset: LAST_30_DAYS }, channel: $channel) {
              channel channels { channel campaigns delivered openRate clickRate revenue } attributedRevenueShare openRate { value } clickRate { value }
              revenueSeries { other total } } }
            """;
        var all = (await factory.GraphQL().QueryAsync(query, new { channel = (string?)null }))["overview"]!;
        var channels = all["channels"]!.AsArray();
        Assert.Contains(channels, c => c!["channel"]!.GetValue<string>() == "EMAIL");
        Assert.All(channels.Where(c => c!["channel"]!.GetValue<string>() == "SMS"), c => Assert.Null(c!["openRate"]));
        var series = all["revenueSeries"]!.AsArray();
        var total = series.Sum(p => p!["total"]!.GetValue<double>());
        var other = series.Sum(p => p!["other"]!.GetValue<double>());
        Assert.Equal(Math.Round(1 - other / total, 9), Math.Round(all["attributedRevenueShare"]!.GetValue<double>(), 9));

        var sms = (await factory.GraphQL().QueryAsync(query, new { channel = "SMS" }))["overview"]!;
        Assert.Equal("SMS", sms["channel"]!.GetValue<string>());
        Assert.Null(sms["openRate"]!["value"]);

        var rows = (await factory.GraphQL().QueryAsync("""{ campaigns(first: 100, where: { channel: { eq: "sms" } }) { nodes { channel openRate opensUnique delivered } } }"""))["campaigns"]!["nodes"]!.AsArray();
        Assert.All(rows, r => Assert.Null(r!["openRate"]));
        Assert.All(rows, r => Assert.Null(r!["opensUnique"]));
    }

    public static TheoryData<string> BadRanges => new()
    {
        """{ "from": "2026-11-05", "to": "2026-11-01" }""",
        """{ "from": "2030-01-01", "to": "2030-01-02" }""",
        """{ "preset": "TODAY", "from": "2026-11-01", "to": "2026-11-02" }""",
        """{ "from": "2026-11-01" }""",
        """{ "start": "2026-11-01T00:00:00Z" }""",
        "{ }",
    };

    [Theory]
    [MemberData(nameof(BadRanges))]
    public async Task Ambiguous_or_impossible_ranges_are_INVALID_INPUT(string range)
    {
        var code = await factory.GraphQL().ErrorCodeAsync("query($range: DateRangeInput!) { overview(range: $range) { range { start } } }",
            new { range = JsonNode.Parse(range) });
        Assert.Equal("INVALID_INPUT", code);
    }
}
