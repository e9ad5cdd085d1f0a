using Klaviyo.Core.Data;

namespace Klaviyo.Core.Metrics;

/// <summary>Folds events into hourly and daily rollup rows (the sync engine adds these to stored rollups).</summary>
public static class MetricRollupBuilder
{
    public static IReadOnlyList<MetricRollup> From(IEnumerable<Event> events) =>
        events
            .SelectMany(e => new[]
            {
                (e, Granularity: RollupGranularity.Hour, Start: UtcBuckets.FloorHour(e.Datetime)),
                (e, Granularity: RollupGranularity.Day, Start: UtcBuckets.FloorDay(e.Datetime)),
            })
            .GroupBy(x => (x.e.MetricId, x.Granularity, x.Start, x.e.Channel))
            .Select(g => new MetricRollup
            {
                MetricId = g.Key.MetricId,
                Granularity = g.Key.Granularity,
                BucketStart = g.Key.Start,
                Channel = g.Key.Channel,
                Count = g.LongCount(),
                SumValue = g.Sum(x => x.e.Value),
            })
            .ToList();
}
