using NodaTime;

namespace Klaviyo.Core.TimeRanges;

/// <summary>
/// Series buckets in the account's time zone that cover exactly a window: boundaries at local
/// hours, midnights, Mondays or firsts of the month, the first and last buckets clipped to the window.
/// </summary>
public static class CalendarBuckets
{
    /// <summary>The interval a window gets unless one is asked for: hours up to 2 days, days up to 92, weeks up to a year, then months.</summary>
    public static SeriesInterval DefaultFor(DateRange range) => range.Length.TotalDays switch
    {
        <= 2 => SeriesInterval.Hour,
        <= 92 => SeriesInterval.Day,
        <= 366 => SeriesInterval.Week,
        _ => SeriesInterval.Month,
    };

    /// <summary>Most buckets a series may have (an hourly year would be 8 784).</summary>
    public const int MaxBuckets = 2_000;

    /// <summary>Sorted boundaries: the window's start, every calendar boundary inside it, its end.</summary>
    public static IReadOnlyList<DateTime> Boundaries(DateRange range, DateTimeZone zone, SeriesInterval interval)
    {
        var boundaries = new List<DateTime> { range.Start };
        var end = Instant.FromDateTimeUtc(range.End);
        var at = Instant.FromDateTimeUtc(range.Start);
        while (true)
        {
            at = Next(at, zone, interval);
            if (at >= end)
                break;
            boundaries.Add(at.ToDateTimeUtc());
            if (boundaries.Count > MaxBuckets)
                throw new Errors.InvalidInputError($"A series may have at most {MaxBuckets} buckets; choose a wider interval.");
        }
        boundaries.Add(range.End);
        return boundaries;
    }

    /// <summary>The first calendar boundary after <paramref name="at"/>.</summary>
    private static Instant Next(Instant at, DateTimeZone zone, SeriesInterval interval)
    {
        var local = at.InZone(zone);
        return interval switch
        {
            // Local hours: the next instant whose local minute and second are zero (a whole-hour
            // zone's are UTC hours; a half-hour zone's fall at :30 UTC).
            SeriesInterval.Hour => at - Duration.FromSeconds(local.Minute * 60 + local.Second) - Duration.FromTicks(local.TickOfSecond) + Duration.FromHours(1),
            SeriesInterval.Day => zone.AtStartOfDay(local.Date.PlusDays(1)).ToInstant(),
            SeriesInterval.Week => zone.AtStartOfDay(local.Date.PlusDays(8 - (int)local.DayOfWeek)).ToInstant(),
            _ => zone.AtStartOfDay(local.Date.With(DateAdjusters.StartOfMonth).PlusMonths(1)).ToInstant(),
        };
    }
}
