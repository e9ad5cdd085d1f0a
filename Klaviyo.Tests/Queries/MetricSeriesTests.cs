using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Queries;

public sealed class MetricSeriesTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    private const string Query = """
        query($id: ID!, $start: DateTime!, $end: DateTime!, $interval: Interval!, $measurement: Measurement!) {
          metricSeries(metricId: $id, range: { start: $start, end: $end }, interval: $interval, measurement: $measurement) {
            metric { name } range { start end } interval measurement total points { start value } lastUpdated dataSource
          }
        }
        """;

    private readonly GraphQLTestClient _client = factory.GraphQL();

    private static object Args(string id, DateTime start, DateTime end, string interval, string measurement) =>
        new { id, start, end, interval, measurement };

    [Fact]
    public async Task Daily_revenue_has_every_day_and_sums_the_events()
    {
        var data = await _client.QueryAsync(Query, Args("ORDER", TestData.Utc(3, 1), TestData.Utc(3, 8), "DAY", "SUM_VALUE"));
        var series = data["metricSeries"]!;
        var points = series["points"]!.AsArray().Select(p => p!["value"]!.GetValue<double>()).ToArray();
        Assert.Equal([0, 150, 0, 0, 0, 0, 25], points);
        Assert.Equal(175, series["total"]!.GetValue<double>());
        Assert.Equal("Placed Order", series["metric"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Hourly_counts_come_from_hourly_buckets()
    {
        var data = await _client.QueryAsync(Query, Args("ORDER", TestData.Utc(3, 2, 9), TestData.Utc(3, 2, 13), "HOUR", "COUNT"));
        Assert.Equal([0.0, 1, 1, 0], data["metricSeries"]!["points"]!.AsArray().Select(p => p!["value"]!.GetValue<double>()));
    }

    [Fact]
    public async Task Weeks_start_on_Monday_and_the_range_widens_to_whole_buckets()
    {
        // 2026-03-02 is a Monday. Week of 02-16: E7 500 + E6 20 (Sunday 02-22); of 02-23: E5 80;
        // of 03-02: E1 100 + E2 50 + E3 25 + E4 999 (Sunday 03-08), because the range widens to the whole week.
        var data = await _client.QueryAsync(Query, Args("ORDER", TestData.Utc(2, 20), TestData.Utc(3, 4), "WEEK", "SUM_VALUE"));
        var series = data["metricSeries"]!;
        Assert.Equal(TestData.Utc(2, 16), series["range"]!["start"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal(TestData.Utc(3, 9), series["range"]!["end"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal([520.0, 80, 1174], series["points"]!.AsArray().Select(p => p!["value"]!.GetValue<double>()));
    }

    [Fact]
    public async Task Months_are_calendar_months()
    {
        var data = await _client.QueryAsync(Query, Args("ORDER", TestData.Utc(2, 10), TestData.Utc(3, 10), "MONTH", "COUNT"));
        // February: E5, E6, E7; March (whole month): E1 to E4.
        Assert.Equal([3.0, 4], data["metricSeries"]!["points"]!.AsArray().Select(p => p!["value"]!.GetValue<double>()));
    }

    [Fact]
    public async Task An_unknown_metric_is_NOT_FOUND_and_a_long_hourly_range_is_INVALID_INPUT()
    {
        Assert.Equal("NOT_FOUND", await _client.ErrorCodeAsync(Query, Args("NOPE", TestData.Utc(3, 1), TestData.Utc(3, 2), "DAY", "COUNT")));
        Assert.Equal("INVALID_INPUT", await _client.ErrorCodeAsync(Query, Args("ORDER", TestData.Utc(1, 1), TestData.Utc(3, 1), "HOUR", "COUNT")));
    }
}
