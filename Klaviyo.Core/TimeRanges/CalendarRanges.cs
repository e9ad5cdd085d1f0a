using Klaviyo.Core.Errors;
using NodaTime;

namespace Klaviyo.Core.TimeRanges;

/// <summary>A range and its comparison window, as resolved in the account's calendar.</summary>
/// <param name="FirstDay">The first calendar day (null for instants).</param>
/// <param name="LastDay">The last calendar day (null for instants).</param>
public sealed record ResolvedRange(DateRange Current, DateRange? Previous, LocalDate? FirstDay, LocalDate? LastDay)
{
    /// <summary>The range includes today, so it ends at the instant it was resolved.</summary>
    public bool EndsNow { get; init; }
}

/// <summary>
/// Calendar days and presets in the account's time zone, DST-correct (NodaTime): a day starts at
/// its local midnight, whatever its length (23 or 25 hours on a change); a range that includes
/// today ends now (to the second), never in the future, and its comparison ends the same elapsed
/// time into its own last day. Instants are used as given (truncated to the hour).
/// </summary>
public static class CalendarRanges
{
    /// <summary>52 weeks: the previous year aligned to the same weekday.</summary>
    public const int YearBackDays = 364;

    public static ResolvedRange Resolve(RangeRequest request, DateTimeZone zone, Instant now, CompareTo compare)
    {
        if (request.Start is { } start && request.End is { } end)
        {
            var current = new DateRange(start, end);
            var previous = compare switch
            {
                CompareTo.PreviousPeriod => current.Previous(),
                CompareTo.PreviousYear => DateRange.Exact(current.Start.AddDays(-YearBackDays), current.End.AddDays(-YearBackDays)),
                _ => null,
            };
            return new ResolvedRange(current, previous, null, null);
        }

        var today = now.InZone(zone).Date;
        var (first, last) = request.Preset is { } preset ? Days(preset, today)
            : (LocalDate.FromDateOnly(request.From!.Value), LocalDate.FromDateOnly(request.To!.Value));
        if (first > today)
            throw new InvalidInputError($"The range starts on {first:yyyy-MM-dd}, after today ({today:yyyy-MM-dd} in {zone.Id}).");
        if (last > today)
            last = today;
        var days = Period.Between(first, last, PeriodUnits.Days).Days + 1;
        var nowSecond = Instant.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var endsNow = last == today;

        DateRange Window(int shiftDays)
        {
            var from = zone.AtStartOfDay(first.PlusDays(-shiftDays)).ToInstant();
            var to = endsNow
                ? nowSecond.InZone(zone).LocalDateTime.PlusDays(-shiftDays).InZoneLeniently(zone).ToInstant()
                : zone.AtStartOfDay(last.PlusDays(1 - shiftDays)).ToInstant();
            if (to <= from)
                to = from + Duration.FromSeconds(1); // the first second of today: an empty window, never an error
            return DateRange.Exact(from.ToDateTimeUtc(), to.ToDateTimeUtc());
        }

        var previousWindow = compare switch
        {
            CompareTo.PreviousPeriod => Window(days),
            CompareTo.PreviousYear => Window(YearBackDays),
            _ => null,
        };
        return new ResolvedRange(Window(0), previousWindow, first, last) { EndsNow = endsNow };
    }

    /// <summary>The first and last day of a preset (weeks start on Monday).</summary>
    public static (LocalDate First, LocalDate Last) Days(RangePreset preset, LocalDate today) => preset switch
    {
        RangePreset.Today => (today, today),
        RangePreset.Yesterday => (today.PlusDays(-1), today.PlusDays(-1)),
        RangePreset.Last7Days => (today.PlusDays(-6), today),
        RangePreset.Last30Days => (today.PlusDays(-29), today),
        RangePreset.Last90Days => (today.PlusDays(-89), today),
        RangePreset.ThisWeek => (today.PlusDays(-((int)today.DayOfWeek - 1)), today),
        RangePreset.ThisMonth => (today.With(DateAdjusters.StartOfMonth), today),
        RangePreset.LastMonth => (today.PlusMonths(-1).With(DateAdjusters.StartOfMonth), today.PlusMonths(-1).With(DateAdjusters.EndOfMonth)),
        RangePreset.ThisQuarter => (new LocalDate(today.Year, (today.Month - 1) / 3 * 3 + 1, 1), today),
        _ => (new LocalDate(today.Year, 1, 1), today),
    };
}
