using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Freshness;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Metrics;

/// <summary>
/// Metrics whose events carry a value (orders, subscriptions…), which revenue can be read from.
/// Two with the same name are told apart by their integration. The default is Placed Order.
/// </summary>
public sealed class ConversionMetrics(IDbContextFactory<KlaviyoDbContext> contexts, FreshCache cache)
{
    public static readonly SyncEntity[] Entities = [SyncEntity.Metrics, SyncEntity.Events];

    public Task<Fresh<IReadOnlyList<Metric>>> ListAsync(bool forceFresh, CancellationToken cancellationToken) =>
        cache.GetAsync<IReadOnlyList<Metric>>(CacheKeys.ConversionMetrics(), Entities, forceFresh, async token =>
        {
            await using var db = await contexts.CreateDbContextAsync(token);
            var valued = db.MetricRollups.Where(r => r.Granularity == RollupGranularity.Day && r.SumValue > 0).Select(r => r.MetricId).Distinct();
            return await db.Metrics.AsNoTracking().Where(m => valued.Contains(m.Id)).OrderBy(m => m.Name).ThenBy(m => m.IntegrationName).ToListAsync(token);
        }, cancellationToken);

    /// <summary>The metric ids revenue is read from: the one asked for (which must exist), else every metric named Placed Order.</summary>
    public static async Task<(IReadOnlyList<string> Ids, Metric? Metric)> ResolveAsync(KlaviyoDbContext db, string? metricId, CancellationToken cancellationToken)
    {
        if (metricId is not null)
        {
            var metric = await db.Metrics.AsNoTracking().SingleOrDefaultAsync(m => m.Id == metricId, cancellationToken)
                ?? throw new NotFoundError($"No metric has the id '{metricId}'; conversionMetrics lists the ones revenue can be read from.");
            return ([metric.Id], metric);
        }
        var placed = await db.Metrics.AsNoTracking().Where(m => m.Name == MetricNames.PlacedOrder).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        return ([.. placed.Select(m => m.Id)], placed.FirstOrDefault());
    }
}
