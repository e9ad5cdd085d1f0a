using Klaviyo.Core.Data;
using Klaviyo.Core.TimeRanges;
using Microsoft.EntityFrameworkCore;
using static Klaviyo.Core.Metrics.UtcBuckets;

namespace Klaviyo.Core.Metrics;

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
        if (metricIds.Count == 0)
            return Buckets(boundaries);
        return await SumAsync(db.MetricRollups.Where(r => metricIds.Contains(r.MetricId)), db.Events.Where(e => metricIds.Contains(e.MetricId)), boundaries, byChannel, cancellationToken);
    }

    /// <summary>Rollups and events of the metrics summed: the rollups' rows and the cut hours' events are read in one statement.</summary>
    private static async Task<IReadOnlyList<BucketTotal>> SumAsync(IQueryable<MetricRollup> rollups, IQueryable<Event> events,
        IReadOnlyList<DateTime> boundaries, bool byChannel, CancellationToken cancellationToken)
    {
        var buckets = Buckets(boundaries);
        if (buckets.Length == 0)
            return buckets;

        var (start, end) = (boundaries[0], boundaries[^1]);
        var firstWhole = CeilHour(start);
        var lastWhole = FloorHour(end);
        var cut = boundaries.Where(b => b != FloorHour(b)).Select(FloorHour).ToHashSet();
        var plan = firstWhole < lastWhole ? RollupPlan.Of(boundaries, firstWhole, lastWhole, cut, byChannel) : RollupPlan.None;

        var query = Concat(plan.Rows(rollups.AsNoTracking(), byChannel), EventRows(events.AsNoTracking(), EventWindows(start, end, firstWhole, lastWhole, cut)));
        if (query is null)
            return buckets;
        foreach (var row in await query.ToListAsync(cancellationToken))
            plan.Add(row, boundaries, buckets);
        return buckets;
    }

    private static BucketTotal[] Buckets(IReadOnlyList<DateTime> boundaries)
    {
        var buckets = new BucketTotal[Math.Max(0, boundaries.Count - 1)];
        for (var i = 0; i < buckets.Length; i++)
            buckets[i] = new BucketTotal(boundaries[i], boundaries[i + 1]);
        return buckets;
    }

    private static IQueryable<SumRow>? Concat(params IEnumerable<IQueryable<SumRow>?> parts) =>
        parts.OfType<IQueryable<SumRow>>().Aggregate((IQueryable<SumRow>?)null, (all, part) => all is null ? part : all.Concat(part));

    /// <summary>
    /// Whole UTC days inside the window with no cut hour come from the daily rollups: the day's
    /// total goes to the bucket holding most of its hours, and only the hours on the other side
    /// of a boundary are read hourly and moved (a New York day is 04:00–04:00 UTC: 4 or 5
    /// hourly rows a day instead of 24).
    /// </summary>
    private sealed class RollupPlan(List<DateTime> days, Dictionary<DateTime, int> majority, List<DateTime> hourly)
    {
        public static readonly RollupPlan None = new([], [], []);

        private readonly HashSet<DateTime> _wanted = [.. hourly];

        public static RollupPlan Of(IReadOnlyList<DateTime> boundaries, DateTime firstWhole, DateTime lastWhole, HashSet<DateTime> cut, bool byChannel)
        {
            var days = DaysInside(firstWhole, lastWhole, cut, byChannel);
            var majority = days.ToDictionary(d => d, d => Majority(boundaries, d));
            var minorityHours = days.SelectMany(d => Hours(d, d.AddDays(1)).Where(h => IndexOf(boundaries, h) != majority[d]));
            var edgeHours = Hours(firstWhole, lastWhole).Where(h => !majority.ContainsKey(h.Date) && !cut.Contains(h));
            var hourly = days.Count > 0 ? [.. minorityHours, .. edgeHours] : Hours(firstWhole, lastWhole).Where(h => !cut.Contains(h)).ToList();
            return new RollupPlan(days, majority, hourly);
        }

        public IQueryable<SumRow>? Rows(IQueryable<MetricRollup> rollups, bool byChannel)
        {
            IQueryable<SumRow>? dayRows = null;
            if (days.Count > 0)
            {
                var (firstDay, afterDays) = (days[0], days[^1].AddDays(1));
                dayRows = rollups
                    .Where(r => r.Granularity == RollupGranularity.Day && r.BucketStart >= firstDay && r.BucketStart < afterDays)
                    .Select(r => new SumRow { Source = (int)r.Granularity, At = r.BucketStart, Channel = r.Channel, Count = r.Count, SumValue = r.SumValue });
            }
            return Concat(dayRows, hourly.Count > 0 ? HourRows(rollups, hourly, namedHours: majority.Count > 0, byChannel) : null);
        }

        public void Add(SumRow row, IReadOnlyList<DateTime> boundaries, BucketTotal[] buckets)
        {
            switch (row.Source)
            {
                case EventSource:
                    buckets[IndexOf(boundaries, row.At)].Add(row.Channel, row.Count, row.SumValue);
                    return;
                case (int)RollupGranularity.Day:
                    if (majority.TryGetValue(row.At, out var index))
                        buckets[index].Add(row.Channel, row.Count, row.SumValue);
                    return;
            }
            if (!_wanted.Contains(row.At))
                return;
            buckets[IndexOf(boundaries, row.At)].Add(row.Channel, row.Count, row.SumValue);
            if (majority.TryGetValue(row.At.Date, out var dayBucket))
                buckets[dayBucket].Add(row.Channel, -row.Count, -row.SumValue); // counted in its day's total already
        }
    }

    /// <param name="namedHours">With days in use only a few hours a day are wanted: name them rather than read them all.</param>
    /// <param name="byChannel">False: the hours are summed in SQL, a row each instead of one per channel (days are then not used).</param>
    private static IQueryable<SumRow> HourRows(IQueryable<MetricRollup> rollups, List<DateTime> hourly, bool namedHours, bool byChannel)
    {
        // Named, they are sought one by one in the index; with a range beside them SQLite reads every hour between the first and the last.
        var (firstHour, afterHours) = (hourly.Min(), hourly.Max().AddHours(1));
        var hours = namedHours
            ? rollups.Where(r => r.Granularity == RollupGranularity.Hour && hourly.Contains(r.BucketStart))
            : rollups.Where(r => r.Granularity == RollupGranularity.Hour && r.BucketStart >= firstHour && r.BucketStart < afterHours);
        return byChannel
            ? hours.Select(r => new SumRow { Source = (int)r.Granularity, At = r.BucketStart, Channel = r.Channel, Count = r.Count, SumValue = r.SumValue })
            : hours.GroupBy(r => r.BucketStart).Select(g => new SumRow
            {
                Source = (int)RollupGranularity.Hour,
                At = g.Key,
                Channel = AttributionChannel.Other,
                Count = g.Sum(r => r.Count),
                SumValue = g.Sum(r => r.SumValue),
            });
    }

    /// <summary>The minutes of the hours boundaries cut through, read from the events themselves, a row each with its channel.</summary>
    private static IQueryable<SumRow>? EventRows(IQueryable<Event> events, List<(DateTime From, DateTime To)> windows) =>
        Concat(windows.Select(w => events
            .Where(e => e.Datetime >= w.From && e.Datetime < w.To)
            .Select(e => new SumRow
            {
                Source = EventSource,
                At = e.Datetime,
                Channel = e.CampaignId != null ? AttributionChannel.Campaign : e.FlowId != null ? AttributionChannel.Flow : e.FormId != null ? AttributionChannel.Form : AttributionChannel.Other,
                Count = 1,
                SumValue = e.Value,
            })));

    /// <summary>A row of the one statement: a day or an hour of the rollups (<see cref="Source"/> is its granularity), or an event.</summary>
    private sealed class SumRow
    {
        public int Source { get; init; }
        public DateTime At { get; init; }
        public AttributionChannel Channel { get; init; }
        public long Count { get; init; }
        public double SumValue { get; init; }
    }

    private const int EventSource = -1;

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

    /// <summary>Whole UTC days in [from, to) with no cut hour, when reading them daily pays (per-channel series of two days or more).</summary>
    private static List<DateTime> DaysInside(DateTime from, DateTime to, HashSet<DateTime> cut, bool byChannel)
    {
        var first = from.TimeOfDay == TimeSpan.Zero ? from : from.Date.AddDays(1);
        var days = new List<DateTime>();
        for (var day = first; byChannel && day.AddDays(1) <= to; day = day.AddDays(1))
            if (!cut.Any(h => h >= day && h < day.AddDays(1)))
                days.Add(DateTime.SpecifyKind(day, DateTimeKind.Utc));
        return days.Count >= 2 ? days : [];
    }

    /// <summary>The bucket holding most of a UTC day's hours.</summary>
    private static int Majority(IReadOnlyList<DateTime> boundaries, DateTime day) =>
        Hours(day, day.AddDays(1)).GroupBy(h => IndexOf(boundaries, h)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;

    private static List<DateTime> Hours(DateTime from, DateTime to)
    {
        var hours = new List<DateTime>();
        for (var h = from; h < to; h = h.AddHours(1))
            hours.Add(h);
        return hours;
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
}
