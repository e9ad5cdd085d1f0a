using Klaviyo.Core.Data;
using Klaviyo.Core.TimeRanges;
using Microsoft.EntityFrameworkCore;

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
            await AddRollupsAsync(db, metricIds, boundaries, buckets, firstWhole, lastWhole, cut, byChannel, cancellationToken);
        await AddEventsAsync(db, metricIds, boundaries, buckets, EventWindows(start, end, firstWhole, lastWhole, cut), cancellationToken);
        return buckets;
    }

    /// <summary>
    /// Whole UTC days inside the window with no cut hour come from the daily rollups: the day's
    /// total goes to the bucket holding most of its hours, and only the hours on the other side
    /// of a boundary are read hourly and moved (a New York day is 04:00–04:00 UTC: 4 or 5
    /// hourly rows a day instead of 24). Days and hours are read in one statement.
    /// </summary>
    private static async Task AddRollupsAsync(KlaviyoDbContext db, IReadOnlyCollection<string> metricIds, IReadOnlyList<DateTime> boundaries, BucketTotal[] buckets,
        DateTime firstWhole, DateTime lastWhole, HashSet<DateTime> cut, bool byChannel, CancellationToken cancellationToken)
    {
        var days = DaysInside(firstWhole, lastWhole, cut, byChannel);
        var majority = days.ToDictionary(d => d, d => Majority(boundaries, d));
        var minorityHours = days.SelectMany(d => Hours(d, d.AddDays(1)).Where(h => IndexOf(boundaries, h) != majority[d]));
        var edgeHours = Hours(firstWhole, lastWhole).Where(h => !majority.ContainsKey(h.Date) && !cut.Contains(h));
        var hourly = days.Count > 0 ? [.. minorityHours, .. edgeHours] : Hours(firstWhole, lastWhole).Where(h => !cut.Contains(h)).ToList();

        IQueryable<RollupRow>? query = null;
        if (days.Count > 0)
        {
            var (firstDay, afterDays) = (days[0], days[^1].AddDays(1));
            query = db.MetricRollups.AsNoTracking()
                .Where(r => metricIds.Contains(r.MetricId) && r.Granularity == RollupGranularity.Day && r.BucketStart >= firstDay && r.BucketStart < afterDays)
                .Select(r => new RollupRow { Granularity = r.Granularity, BucketStart = r.BucketStart, Channel = r.Channel, Count = r.Count, SumValue = r.SumValue });
        }
        if (hourly.Count > 0)
        {
            var hours = HourRows(db, metricIds, hourly, namedHours: majority.Count > 0, byChannel);
            query = query is null ? hours : query.Concat(hours);
        }
        if (query is null)
            return;

        var wanted = hourly.ToHashSet();
        foreach (var row in await query.ToListAsync(cancellationToken))
        {
            if (row.Granularity == RollupGranularity.Day)
            {
                if (majority.TryGetValue(row.BucketStart, out var index))
                    buckets[index].Add(row.Channel, row.Count, row.SumValue);
                continue;
            }
            if (!wanted.Contains(row.BucketStart))
                continue;
            buckets[IndexOf(boundaries, row.BucketStart)].Add(row.Channel, row.Count, row.SumValue);
            if (majority.TryGetValue(row.BucketStart.Date, out var dayBucket))
                buckets[dayBucket].Add(row.Channel, -row.Count, -row.SumValue); // counted in its day's total already
        }
    }

    /// <param name="namedHours">With days in use only a few hours a day are wanted: name them (one parameter, a JSON list) rather than read them all.</param>
    /// <param name="byChannel">False: the hours are summed in SQL, a row each instead of one per channel (days are then not used).</param>
    private static IQueryable<RollupRow> HourRows(KlaviyoDbContext db, IReadOnlyCollection<string> metricIds, List<DateTime> hourly, bool namedHours, bool byChannel)
    {
        var (firstHour, afterHours) = (hourly.Min(), hourly.Max().AddHours(1));
        var hours = db.MetricRollups.AsNoTracking()
            .Where(r => metricIds.Contains(r.MetricId) && r.Granularity == RollupGranularity.Hour && r.BucketStart >= firstHour && r.BucketStart < afterHours);
        if (namedHours)
            hours = hours.Where(r => hourly.Contains(r.BucketStart));
        return byChannel
            ? hours.Select(r => new RollupRow { Granularity = r.Granularity, BucketStart = r.BucketStart, Channel = r.Channel, Count = r.Count, SumValue = r.SumValue })
            : hours.GroupBy(r => r.BucketStart).Select(g => new RollupRow
            {
                Granularity = RollupGranularity.Hour,
                BucketStart = g.Key,
                Channel = AttributionChannel.Other,
                Count = g.Sum(r => r.Count),
                SumValue = g.Sum(r => r.SumValue),
            });
    }

    private sealed class RollupRow
    {
        public RollupGranularity Granularity { get; init; }
        public DateTime BucketStart { get; init; }
        public AttributionChannel Channel { get; init; }
        public long Count { get; init; }
        public double SumValue { get; init; }
    }

    /// <summary>The minutes of the hours boundaries cut through, read from the events themselves: every window in one statement.</summary>
    private static async Task AddEventsAsync(KlaviyoDbContext db, IReadOnlyCollection<string> metricIds, IReadOnlyList<DateTime> boundaries, BucketTotal[] buckets,
        List<(DateTime From, DateTime To)> windows, CancellationToken cancellationToken)
    {
        IQueryable<EventPoint>? query = null;
        foreach (var (from, to) in windows)
        {
            var window = db.Events.AsNoTracking()
                .Where(e => metricIds.Contains(e.MetricId) && e.Datetime >= from && e.Datetime < to)
                .Select(e => new EventPoint { Datetime = e.Datetime, Value = e.Value, Campaign = e.CampaignId != null, Flow = e.FlowId != null, Form = e.FormId != null });
            query = query is null ? window : query.Concat(window);
        }
        if (query is null)
            return;
        foreach (var e in await query.ToListAsync(cancellationToken))
        {
            var channel = e.Campaign ? AttributionChannel.Campaign : e.Flow ? AttributionChannel.Flow : e.Form ? AttributionChannel.Form : AttributionChannel.Other;
            buckets[IndexOf(boundaries, e.Datetime)].Add(channel, 1, e.Value);
        }
    }

    private sealed class EventPoint
    {
        public DateTime Datetime { get; init; }
        public double Value { get; init; }
        public bool Campaign { get; init; }
        public bool Flow { get; init; }
        public bool Form { get; init; }
    }

    /// <summary>
    /// One total over a window: the series machinery with a single bucket, so whole UTC days come
    /// from the daily rollups (30 rows for a month instead of 720 hourly ones), the hours around
    /// them from the hourly rollups, and the minutes at either end from the events.
    /// </summary>
    public static async Task<(long Count, double Sum)> TotalAsync(KlaviyoDbContext db, IReadOnlyCollection<string> metricIds, DateRange range, CancellationToken cancellationToken)
    {
        if (range.End <= range.Start)
            return (0, 0);
        var total = (await SumAsync(db, metricIds, [range.Start, range.End], cancellationToken))[0];
        return (total.Count, total.Total);
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

    private static DateTime FloorHour(DateTime at) => new(at.Year, at.Month, at.Day, at.Hour, 0, 0, DateTimeKind.Utc);

    private static DateTime CeilHour(DateTime at) => FloorHour(at) == at ? at : FloorHour(at).AddHours(1);
}
