using Klaviyo.GraphQL.Data;
using Klaviyo.GraphQL.TimeRanges;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Metrics;

/// <summary>
/// Reads metric rollups instead of events: whole days inside a range from daily buckets, the
/// ragged hours at either end from hourly ones. Cost grows with the range's length, not its events.
/// </summary>
public static class RollupQueries
{
    public static IQueryable<MetricRollup> InRange(this IQueryable<MetricRollup> rollups, IReadOnlyCollection<string> metricIds, DateRange range)
    {
        var dayStart = range.Start.TimeOfDay == TimeSpan.Zero ? range.Start : range.Start.Date.AddDays(1);
        var dayEnd = range.End.Date;
        var scoped = rollups.Where(r => metricIds.Contains(r.MetricId));
        if (dayStart >= dayEnd)
            return scoped.Where(r => r.Granularity == RollupGranularity.Hour && r.BucketStart >= range.Start && r.BucketStart < range.End);
        var (start, end) = (range.Start, range.End);
        return scoped.Where(r =>
            (r.Granularity == RollupGranularity.Day && r.BucketStart >= dayStart && r.BucketStart < dayEnd)
            || (r.Granularity == RollupGranularity.Hour
                && ((r.BucketStart >= start && r.BucketStart < dayStart) || (r.BucketStart >= dayEnd && r.BucketStart < end))));
    }

    public static async Task<(long Count, double Sum)> TotalAsync(this IQueryable<MetricRollup> rollups, IReadOnlyCollection<string> metricIds, DateRange range, CancellationToken cancellationToken)
    {
        var total = await rollups.InRange(metricIds, range)
            .GroupBy(_ => 1)
            .Select(g => new { Count = g.Sum(r => r.Count), Sum = g.Sum(r => r.SumValue) })
            .SingleOrDefaultAsync(cancellationToken);
        return total is null ? (0, 0) : (total.Count, total.Sum);
    }

    /// <summary>Buckets of one granularity in a range, per channel, for series.</summary>
    public static Task<List<MetricRollup>> BucketsAsync(this IQueryable<MetricRollup> rollups, IReadOnlyCollection<string> metricIds, RollupGranularity granularity, DateRange range, CancellationToken cancellationToken) =>
        rollups.Where(r => metricIds.Contains(r.MetricId) && r.Granularity == granularity && r.BucketStart >= range.Start && r.BucketStart < range.End)
            .AsNoTracking()
            .ToListAsync(cancellationToken);

    public static Task<List<string>> MetricIdsNamedAsync(this KlaviyoDbContext db, string name, CancellationToken cancellationToken) =>
        db.Metrics.Where(m => m.Name == name).Select(m => m.Id).ToListAsync(cancellationToken);
}
