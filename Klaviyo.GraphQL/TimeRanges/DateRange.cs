using Klaviyo.GraphQL.GraphQL.Errors;

namespace Klaviyo.GraphQL.TimeRanges;

/// <summary>A half-open UTC window [Start, End), truncated to whole hours so it lines up with rollup buckets.</summary>
public sealed record DateRange
{
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(731);

    public DateRange(DateTime start, DateTime end)
    {
        Start = TruncateToHour(ToUtc(start));
        End = TruncateToHour(ToUtc(end));
        if (End <= Start)
            throw new InvalidInputError($"The range must end at least an hour after it starts (start {Start:O}, end {End:O}; bounds are truncated to the hour).");
        if (End - Start > MaxLength)
            throw new InvalidInputError($"The range may span at most {MaxLength.TotalDays:0} days.");
    }

    public DateTime Start { get; }
    public DateTime End { get; }
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
