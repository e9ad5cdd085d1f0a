using System.Globalization;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.TimeRanges;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Metrics;

/// <summary>One metric over time from its rollups: hourly buckets as stored, days, ISO weeks and months from daily ones.</summary>
public sealed class MetricSeriesReader(IDbContextFactory<KlaviyoDbContext> contexts, FreshCache cache, SyncClock clock)
{
    public static readonly SyncEntity[] Entities = [SyncEntity.Metrics, SyncEntity.Events];
    private static readonly TimeSpan MaxHourlyRange = TimeSpan.FromDays(31);

    public async Task<Fresh<MetricSeries>> ReadAsync(string metricId, DateRange range, SeriesInterval interval, Measurement measurement, bool forceFresh, CancellationToken cancellationToken)
    {
        if (interval == SeriesInterval.Hour && range.Length > MaxHourlyRange)
            throw new InvalidInputError($"Hourly series cover at most {MaxHourlyRange.TotalDays:0} days; use DAY for longer ranges.");
        // Before events have synced every point would be a zero the server made up.
        if (await clock.LastUpdatedAsync(Entities, cancellationToken) is null)
            throw new NotYetSyncedError("Events have not synced yet, so this series is not known; it is once the first sync of events is done (see syncStatus).");
        return await cache.GetAsync(CacheKeys.MetricSeries(metricId, range, interval, measurement), Entities, forceFresh,
            token => ComputeAsync(metricId, range, interval, measurement, token), cancellationToken);
    }

    private async Task<MetricSeries> ComputeAsync(string metricId, DateRange range, SeriesInterval interval, Measurement measurement, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var metric = await db.Metrics.AsNoTracking().SingleOrDefaultAsync(m => m.Id == metricId, cancellationToken)
            ?? throw new NotFoundError($"No metric has the id '{metricId}'.");

        var window = Align(range, interval);
        var granularity = interval == SeriesInterval.Hour ? RollupGranularity.Hour : RollupGranularity.Day;
        var buckets = await db.MetricRollups.BucketsAsync([metricId], granularity, window, cancellationToken);
        var values = buckets
            .GroupBy(b => BucketOf(b.BucketStart, interval))
            .ToDictionary(g => g.Key, g => measurement == Measurement.Count ? g.Sum(b => (double)b.Count) : g.Sum(b => b.SumValue));

        var points = new List<SeriesPoint>();
        for (var at = window.Start; at < window.End; at = Next(at, interval))
            points.Add(new SeriesPoint(at, values.GetValueOrDefault(at)));
        return new MetricSeries(metric, window, interval, measurement, points);
    }

    /// <summary>Widens the range to whole buckets so that no point reports part of a bucket.</summary>
    private static DateRange Align(DateRange range, SeriesInterval interval)
    {
        var start = BucketOf(range.Start, interval);
        var lastStart = BucketOf(range.End.AddTicks(-1), interval);
        return new DateRange(start, Next(lastStart, interval));
    }

    private static DateTime BucketOf(DateTime at, SeriesInterval interval) => interval switch
    {
        SeriesInterval.Hour => at,
        SeriesInterval.Day => at.Date,
        SeriesInterval.Week => ISOWeek.ToDateTime(ISOWeek.GetYear(at), ISOWeek.GetWeekOfYear(at), DayOfWeek.Monday),
        _ => new DateTime(at.Year, at.Month, 1, 0, 0, 0, DateTimeKind.Utc),
    };

    private static DateTime Next(DateTime at, SeriesInterval interval) => interval switch
    {
        SeriesInterval.Hour => at.AddHours(1),
        SeriesInterval.Day => at.AddDays(1),
        SeriesInterval.Week => at.AddDays(7),
        _ => at.AddMonths(1),
    };
}
