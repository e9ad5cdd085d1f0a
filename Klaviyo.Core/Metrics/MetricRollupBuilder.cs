using Klaviyo.Core.Data;

namespace Klaviyo.Core.Metrics;

/// <summary>Folds events into hourly and daily rollup rows (the sync engine adds these to stored rollups).</summary>
public static class MetricRollupBuilder
{
    public static IReadOnlyList<MetricRollup> From(IEnumerable<Event> events) =>
        events
            .SelectMany(e => new[]
            {
                (e, Granularity: RollupGranularity.Hour, Start: new DateTime(e.Datetime.Year, e.Datetime.Month, e.Datetime.Day, e.Datetime.Hour, 0, 0, DateTimeKind.Utc)),
                (e, Granularity: RollupGranularity.Day, Start: DateTime.SpecifyKind(e.Datetime.Date, DateTimeKind.Utc)),
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
