using Klaviyo.GraphQL.Data;
using Klaviyo.GraphQL.TimeRanges;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Metrics;

/// <summary>Count and value of some metrics' events in one bucket, by attribution.</summary>
public sealed class BucketTotal(DateTime start, DateTime end)
{
    public DateTime Start { get; } = start;
    public DateTime End { get; } = end;
    public long Count { get; private set; }
    public double[] Value { get; } = new double[4];
    public double Total => Value.Sum();

    public void Add(AttributionChannel channel, long count, double value)
    {
        Count += count;
        Value[(int)channel] += value;
    }
}

/// <summary>
/// Sums over buckets with arbitrary (to the second) boundaries: whole UTC hours from the hourly
/// rollups, and every hour a boundary cuts through — the window's ragged ends, or local hours of
/// half-hour zones — from the events themselves (indexed by metric and time), so a bucket holds
/// exactly the events inside it and the buckets add up to the window.
/// </summary>
public static class WindowSums
{
    /// <param name="byChannel">False when only totals matter (a comparison series): the hours are summed in SQL, a row each instead of one per channel.</param>
    public static async Task<IReadOnlyList<BucketTotal>> SumAsync(KlaviyoDbContext db, IReadOnlyCollection<string> metricIds,
        IReadOnlyList<DateTime> boundaries, CancellationToken cancellationToken, bool byChannel = true)
    {
        var buckets = new BucketTotal[boundaries.Count - 1];
        for (var i = 0; i < buckets.Length; i++)
            buckets[i] = new BucketTotal(boundaries[i], boundaries[i + 1]);
        if (metricIds.Count == 0 || buckets.Length == 0)
            return buckets;

        var (start, end) = (boundaries[0], boundaries[^1]);
        var firstWhole = CeilHour(start);
        var lastWhole = FloorHour(end);
        var cut = boundaries.Where(b => b != FloorHour(b)).Select(FloorHour).ToHashSet();

        if (firstWhole < lastWhole)
        {
            var hours = db.MetricRollups.AsNoTracking()
                .Where(r => metricIds.Contains(r.MetricId) && r.Granularity == RollupGranularity.Hour && r.BucketStart >= firstWhole && r.BucketStart < lastWhole);
            var rows = byChannel
                ? await hours.Select(r => new { r.BucketStart, r.Channel, r.Count, r.SumValue }).ToListAsync(cancellationToken)
                : await hours.GroupBy(r => r.BucketStart)
                    .Select(g => new { BucketStart = g.Key, Channel = AttributionChannel.Other, Count = g.Sum(r => r.Count), SumValue = g.Sum(r => r.SumValue) })
                    .ToListAsync(cancellationToken);
            foreach (var row in rows)
                if (!cut.Contains(row.BucketStart))
                    buckets[IndexOf(boundaries, row.BucketStart)].Add(row.Channel, row.Count, row.SumValue);
        }

        foreach (var (from, to) in EventWindows(start, end, firstWhole, lastWhole, cut))
        {
            var events = await db.Events.AsNoTracking()
                .Where(e => metricIds.Contains(e.MetricId) && e.Datetime >= from && e.Datetime < to)
                .Select(e => new { e.Datetime, e.Value, Campaign = e.CampaignId != null, Flow = e.FlowId != null, Form = e.FormId != null })
                .ToListAsync(cancellationToken);
            foreach (var e in events)
            {
                var channel = e.Campaign ? AttributionChannel.Campaign : e.Flow ? AttributionChannel.Flow : e.Form ? AttributionChannel.Form : AttributionChannel.Other;
                buckets[IndexOf(boundaries, e.Datetime)].Add(channel, 1, e.Value);
            }
        }
        return buckets;
    }

    /// <summary>
    /// One total over a window, summed in SQL: whole UTC days from the daily rollups, the hours
    /// around them from the hourly ones, the minutes at either end from the events.
    /// </summary>
    public static async Task<(long Count, double Sum)> TotalAsync(KlaviyoDbContext db, IReadOnlyCollection<string> metricIds, DateTime start, DateTime end, CancellationToken cancellationToken)
    {
        if (metricIds.Count == 0 || end <= start)
            return (0, 0);
        var (firstWhole, lastWhole) = (CeilHour(start), FloorHour(end));
        var (count, sum) = firstWhole < lastWhole
            ? await db.MetricRollups.TotalAsync(metricIds, DateRange.Exact(firstWhole, lastWhole), cancellationToken)
            : (0L, 0.0);
        foreach (var (from, to) in EventWindows(start, end, firstWhole, lastWhole, []))
        {
            var edge = await db.Events.Where(e => metricIds.Contains(e.MetricId) && e.Datetime >= from && e.Datetime < to)
                .GroupBy(_ => 1).Select(g => new { Count = g.LongCount(), Sum = g.Sum(e => e.Value) }).SingleOrDefaultAsync(cancellationToken);
            if (edge is not null)
                (count, sum) = (count + edge.Count, sum + edge.Sum);
        }
        return (count, sum);
    }

    /// <summary>The parts of the window not covered by whole, uncut hours, merged where they touch.</summary>
    private static List<(DateTime From, DateTime To)> EventWindows(DateTime start, DateTime end, DateTime firstWhole, DateTime lastWhole, HashSet<DateTime> cut)
    {
        var windows = new List<(DateTime From, DateTime To)>();
        if (firstWhole >= lastWhole)
            return [(start, end)];
        if (start < firstWhole)
            windows.Add((start, firstWhole));
        windows.AddRange(cut.Where(h => h >= firstWhole && h < lastWhole).Order().Select(h => (h, h.AddHours(1))));
        if (lastWhole < end)
            windows.Add((lastWhole, end));
        var merged = new List<(DateTime From, DateTime To)>();
        foreach (var w in windows.OrderBy(w => w.From))
        {
            if (merged.Count > 0 && merged[^1].To >= w.From)
                merged[^1] = (merged[^1].From, w.To > merged[^1].To ? w.To : merged[^1].To);
            else
                merged.Add(w);
        }
        return merged;
    }

    /// <summary>The bucket holding an instant: the last boundary at or before it.</summary>
    private static int IndexOf(IReadOnlyList<DateTime> boundaries, DateTime at)
    {
        int lo = 0, hi = boundaries.Count - 2;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (boundaries[mid] <= at)
                lo = mid;
            else
                hi = mid - 1;
        }
        return lo;
    }

    private static DateTime FloorHour(DateTime at) => new(at.Year, at.Month, at.Day, at.Hour, 0, 0, DateTimeKind.Utc);

    private static DateTime CeilHour(DateTime at) => FloorHour(at) == at ? at : FloorHour(at).AddHours(1);
}
