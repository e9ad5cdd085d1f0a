using Klaviyo.Core.Data;
using Klaviyo.Core.TimeRanges;
using Microsoft.EntityFrameworkCore;
using static Klaviyo.Core.Metrics.UtcBuckets;

namespace Klaviyo.Core.Metrics;

/// <summary>Count and summed value of some metrics' events in one window.</summary>
public readonly record struct WindowTotal(long Count, double Sum);

/// <summary>
/// Totals over windows with arbitrary (to the second) ends, where only the totals matter (a KPI, a
/// portfolio row, an alert), up to 16 windows in one statement that answers a row per window. A window
/// is five index ranges: its whole UTC days from the daily rollups, the whole hours either side of
/// them from the hourly rollups and the minutes at its two ends from the events. The statement's
/// shape depends only on how many windows and metrics there are, so EF Core builds its SQL once, and the database
/// adds the rows up instead of sending them (<see cref="WindowSums"/> sends them: it splits them
/// into buckets and channels).
/// </summary>
public static class WindowTotals
{
    public static Task<WindowTotal[]> SumAsync(KlaviyoDbContext db, IReadOnlyCollection<string> metricIds, IReadOnlyList<DateRange> windows, CancellationToken cancellationToken) =>
        metricIds.Count == 0
            ? Task.FromResult(new WindowTotal[windows.Count])
            : SumAsync(db.MetricRollups.Where(r => metricIds.Contains(r.MetricId)), db.Events.Where(e => metricIds.Contains(e.MetricId)), windows, cancellationToken);

    /// <summary>Windows per statement: five arms each, well inside every provider's limit on a compound statement (SQLite's is 500).</summary>
    private const int WindowsPerStatement = 16;

    private static async Task<WindowTotal[]> SumAsync(IQueryable<MetricRollup> rollups, IQueryable<Event> events, IReadOnlyList<DateRange> windows, CancellationToken cancellationToken)
    {
        var totals = new WindowTotal[windows.Count];
        for (var first = 0; first < windows.Count; first += WindowsPerStatement)
        {
            IQueryable<Part>? parts = null;
            for (var i = first; i < Math.Min(windows.Count, first + WindowsPerStatement); i++)
            {
                var window = Pieces.Of(windows[i]);
                var part = Rollups(rollups, RollupGranularity.Day, i, window.DaysStart, window.DaysEnd)
                    .Concat(Rollups(rollups, RollupGranularity.Hour, i, window.WholeStart, window.DaysStart))
                    .Concat(Rollups(rollups, RollupGranularity.Hour, i, window.DaysEnd, window.WholeEnd))
                    .Concat(Events(events, i, window.From, window.WholeStart))
                    .Concat(Events(events, i, window.WholeEnd, window.To));
                parts = parts is null ? part : parts.Concat(part);
            }
            var sums = await parts!
                .GroupBy(p => p.Window)
                .Select(g => new { Window = g.Key, Count = g.Sum(p => p.Count), Sum = g.Sum(p => p.Sum) })
                .ToListAsync(cancellationToken);
            foreach (var sum in sums)
                totals[sum.Window] = new WindowTotal(sum.Count, sum.Sum);
        }
        return totals;
    }

    private static IQueryable<Part> Rollups(IQueryable<MetricRollup> rollups, RollupGranularity granularity, int window, DateTime from, DateTime to) =>
        rollups.AsNoTracking()
            .Where(r => r.Granularity == granularity && r.BucketStart >= from && r.BucketStart < to)
            .Select(r => new Part { Window = window, Count = r.Count, Sum = r.SumValue });

    private static IQueryable<Part> Events(IQueryable<Event> events, int window, DateTime from, DateTime to) =>
        events.AsNoTracking()
            .Where(e => e.Datetime >= from && e.Datetime < to)
            .Select(e => new Part { Window = window, Count = 1, Sum = e.Value });

    private sealed class Part
    {
        public int Window { get; init; }
        public long Count { get; init; }
        public double Sum { get; init; }
    }

    /// <summary>
    /// A window [From, To) cut at whole hours [WholeStart, WholeEnd) and whole UTC days [DaysStart, DaysEnd)
    /// inside them. Where there is no whole day (or hour), the empty ranges collapse onto one instant,
    /// so the statement keeps its shape: hours [WholeStart, WholeStart) and [WholeStart, WholeEnd).
    /// </summary>
    private readonly record struct Pieces(DateTime From, DateTime WholeStart, DateTime DaysStart, DateTime DaysEnd, DateTime WholeEnd, DateTime To)
    {
        public static Pieces Of(DateRange range)
        {
            var (from, to) = (range.Start, range.End);
            var (wholeStart, wholeEnd) = (CeilHour(from), FloorHour(to));
            if (wholeStart >= wholeEnd)
                return new Pieces(from, to, to, to, to, to); // no whole hour: the events alone
            var (daysStart, daysEnd) = (CeilDay(wholeStart), FloorDay(wholeEnd));
            if (daysStart >= daysEnd)
                (daysStart, daysEnd) = (wholeStart, wholeStart); // no whole day: the hours alone
            return new Pieces(from, wholeStart, daysStart, daysEnd, wholeEnd, to);
        }
    }
}
