using Klaviyo.Core.Data;
using Klaviyo.Core.TimeRanges;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Metrics;

/// <summary>Reads metric rollups instead of events (totals over arbitrary windows: <see cref="WindowSums"/>).</summary>
public static class RollupQueries
{
    /// <summary>Buckets of one granularity in a range, per channel, for series.</summary>
    public static Task<List<MetricRollup>> BucketsAsync(this IQueryable<MetricRollup> rollups, IReadOnlyCollection<string> metricIds, RollupGranularity granularity, DateRange range, CancellationToken cancellationToken) =>
        rollups.Where(r => metricIds.Contains(r.MetricId) && r.Granularity == granularity && r.BucketStart >= range.Start && r.BucketStart < range.End)
            .AsNoTracking()
            .ToListAsync(cancellationToken);

    public static Task<List<string>> MetricIdsNamedAsync(this KlaviyoDbContext db, string name, CancellationToken cancellationToken) =>
        db.Metrics.Where(m => m.Name == name).Select(m => m.Id).ToListAsync(cancellationToken);
}
