using System.Globalization;
using Klaviyo.Core.Data;
using Klaviyo.Core.Metrics;
using Klaviyo.Core.TimeRanges;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Tests.Overview;

/// <summary>
/// Totals over windows read from days, hours and the minutes at the ends (one statement) equal the
/// events inside each window counted one by one, on every provider the tests run against.
/// </summary>
public sealed class WindowTotalsTests(WindowTotalsTests.Factory factory) : IClassFixture<WindowTotalsTests.Factory>
{
    private static readonly DateTime Origin = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Orders of two Placed Order metrics and opens, at random seconds over 70 days, some exactly on an hour or a midnight.</summary>
    private static readonly Event[] Events = [.. Enumerable.Range(0, 4000).Select(i => NewEvent(new Random(i), i))];

    public sealed class Factory : ApiFactory, IAsyncLifetime
    {
        public Task InitializeAsync() => SeedAsync(db =>
        {
            db.Metrics.AddRange(
                new Metric { Id = "ORDER", Name = MetricNames.PlacedOrder, IntegrationName = "Shopify", Created = Origin, Updated = Origin },
                new Metric { Id = "ORDER2", Name = MetricNames.PlacedOrder, IntegrationName = "API", Created = Origin, Updated = Origin },
                new Metric { Id = "OPEN", Name = MetricNames.OpenedEmail, IntegrationName = "Klaviyo", Created = Origin, Updated = Origin });
            db.Events.AddRange(Events);
            db.MetricRollups.AddRange(MetricRollupBuilder.From(Events));
        });

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private static Event NewEvent(Random random, int i)
    {
        var at = Origin.AddSeconds(random.Next(0, 70 * 86_400));
        at = (i % 10) switch
        {
            0 => at.Date, // midnight
            1 => new DateTime(at.Year, at.Month, at.Day, at.Hour, 0, 0, DateTimeKind.Utc), // on the hour
            _ => at,
        };
        var metric = (i % 3) switch { 0 => "ORDER", 1 => "ORDER2", _ => "OPEN" };
        return new Event
        {
            Id = $"E{i}",
            MetricId = metric,
            Datetime = DateTime.SpecifyKind(at, DateTimeKind.Utc),
            Value = Math.Round(random.NextDouble() * 200, 2),
            CampaignId = i % 4 == 0 ? "C1" : null,
            FlowId = i % 4 == 1 ? "F1" : null,
            FormId = i % 4 == 2 ? "FO1" : null,
        };
    }

    /// <summary>Windows of every shape: inside one hour, across an hour without a whole one, hours without a whole day, days with ragged ends, exact midnights, overlapping.</summary>
    public static TheoryData<string, string> Windows => new()
    {
        { "2026-01-10T10:05:07", "2026-01-10T10:41:00" },
        { "2026-01-10T10:05:07", "2026-01-10T11:12:13" },
        { "2026-01-10T10:05:07", "2026-01-10T18:00:00" },
        { "2026-01-10T10:00:00", "2026-01-11T09:30:00" },
        { "2026-01-10T04:00:00", "2026-02-09T16:27:44" },
        { "2026-01-01T00:00:00", "2026-03-01T00:00:00" },
        { "2026-01-03T23:59:59", "2026-01-05T00:00:01" },
        { "2026-02-01T05:00:00", "2026-02-01T05:00:01" },
    };

    [Theory]
    [MemberData(nameof(Windows))]
    public async Task A_windows_total_equals_its_events_counted_one_by_one(string from, string to)
    {
        var window = DateRange.Exact(At(from), At(to));
        await using var db = await factory.Service<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync();

        var totals = await WindowTotals.SumAsync(db, ["ORDER", "ORDER2"], [window], CancellationToken.None);

        var expected = Expected(window, "ORDER", "ORDER2");
        Assert.True(expected.Count > 0 || window.Length < TimeSpan.FromHours(1), "the window holds orders");
        AssertTotal(expected, totals[0]);
    }

    [Fact]
    public async Task Several_windows_even_overlapping_ones_are_each_summed()
    {
        // More windows than one statement holds: 20 days of ragged hours after three long ones.
        var days = Enumerable.Range(0, 20).Select(i => DateRange.Exact(new DateTime(2026, 2, 1, 5, 30, 0, DateTimeKind.Utc).AddDays(i), new DateTime(2026, 2, 2, 7, 15, 0, DateTimeKind.Utc).AddDays(i)));
        DateRange[] windows =
        [
            DateRange.Exact(new DateTime(2026, 1, 20, 4, 0, 0, DateTimeKind.Utc), new DateTime(2026, 2, 19, 17, 33, 20, DateTimeKind.Utc)),
            DateRange.Exact(new DateTime(2025, 12, 21, 5, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 20, 17, 33, 20, DateTimeKind.Utc)),
            DateRange.Exact(new DateTime(2026, 1, 15, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 25, 12, 0, 0, DateTimeKind.Utc)),
            .. days,
        ];
        await using var db = await factory.Service<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync();

        var totals = await WindowTotals.SumAsync(db, ["OPEN"], windows, CancellationToken.None);

        Assert.Equal(windows.Length, totals.Length);
        for (var i = 0; i < windows.Length; i++)
            AssertTotal(Expected(windows[i], "OPEN"), totals[i]);
    }

    [Fact]
    public async Task No_metric_or_no_event_is_a_total_of_zero()
    {
        var window = DateRange.Exact(new DateTime(2026, 1, 10, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 12, 0, 0, 0, DateTimeKind.Utc));
        var empty = DateRange.Exact(new DateTime(2027, 1, 10, 0, 0, 0, DateTimeKind.Utc), new DateTime(2027, 1, 12, 0, 0, 0, DateTimeKind.Utc));
        await using var db = await factory.Service<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync();

        Assert.Equal([default], await WindowTotals.SumAsync(db, [], [window], CancellationToken.None));
        Assert.Equal([default], await WindowTotals.SumAsync(db, ["UNKNOWN"], [window], CancellationToken.None));
        Assert.Equal([default], await WindowTotals.SumAsync(db, ["ORDER"], [empty], CancellationToken.None));
    }

    private static DateTime At(string utc) =>
        DateTime.Parse(utc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static WindowTotal Expected(DateRange window, params string[] metrics)
    {
        var inside = Events.Where(e => metrics.Contains(e.MetricId) && e.Datetime >= window.Start && e.Datetime < window.End).ToList();
        return new WindowTotal(inside.Count, inside.Sum(e => e.Value));
    }

    private static void AssertTotal(WindowTotal expected, WindowTotal actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Sum, actual.Sum, 6);
    }
}
