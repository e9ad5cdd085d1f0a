using Klaviyo.Core.Errors;

namespace Klaviyo.Core.TimeRanges;

/// <summary>
/// A half-open UTC window [Start, End). Given as instants it is truncated to whole hours (the
/// original API); from calendar days it starts at a local midnight and may end "now" (to the second).
/// </summary>
public sealed record DateRange
{
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(731);

    public DateRange(DateTime start, DateTime end)
    {
        Start = TruncateToHour(ToUtc(start));
        End = TruncateToHour(ToUtc(end));
        Validate();
    }

    private DateRange()
    {
    }

    /// <summary>A window with these exact bounds (to the second), as calendar days and "now" give them.</summary>
    public static DateRange Exact(DateTime start, DateTime end)
    {
        var range = new DateRange { Start = ToUtc(start), End = ToUtc(end) };
        range.Validate();
        return range;
    }

    private void Validate()
    {
        if (End <= Start)
            throw new InvalidInputError($"The range must end after it starts (start {Start:O}, end {End:O}; instants are truncated to the hour).");
        if (End - Start > MaxLength)
            throw new InvalidInputError($"The range may span at most {MaxLength.TotalDays:0} days.");
    }

    public DateTime Start { get; private init; }
    public DateTime End { get; private init; }
    public TimeSpan Length => End - Start;

    /// <summary>The window of equal length just before this one, for "% change".</summary>
    public DateRange Previous() => new(Start - Length, Start);

    private static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    private static DateTime TruncateToHour(DateTime value) =>
        new(value.Year, value.Month, value.Day, value.Hour, 0, 0, DateTimeKind.Utc);
}
