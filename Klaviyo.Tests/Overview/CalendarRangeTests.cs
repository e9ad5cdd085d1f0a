using Klaviyo.Core.TimeRanges;
using NodaTime;

namespace Klaviyo.Tests.Overview;

/// <summary>Presets and comparisons resolved in a time zone, at a fixed instant.</summary>
public sealed class CalendarRangeTests
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    // Wednesday 2026-11-04 00:30 in New York (05:30 UTC): just after midnight.
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 4, 5, 30);

    private static ResolvedRange Resolve(RangePreset preset, CompareTo compare = CompareTo.PreviousPeriod) =>
        CalendarRanges.Resolve(new RangeRequest(null, null, null, null, preset), NewYork, Now, compare);

    [Theory]
    [InlineData(RangePreset.Today, "2026-11-04", "2026-11-04")]
    [InlineData(RangePreset.Yesterday, "2026-11-03", "2026-11-03")]
    [InlineData(RangePreset.Last7Days, "2026-10-29", "2026-11-04")]
    [InlineData(RangePreset.Last30Days, "2026-10-06", "2026-11-04")]
    [InlineData(RangePreset.ThisWeek, "2026-11-02", "2026-11-04")]
    [InlineData(RangePreset.ThisMonth, "2026-11-01", "2026-11-04")]
    [InlineData(RangePreset.LastMonth, "2026-10-01", "2026-10-31")]
    [InlineData(RangePreset.ThisQuarter, "2026-10-01", "2026-11-04")]
    [InlineData(RangePreset.ThisYear, "2026-01-01", "2026-11-04")]
    public void Presets_are_whole_local_days(RangePreset preset, string first, string last)
    {
        var resolved = Resolve(preset);
        Assert.Equal(first, resolved.FirstDay!.Value.ToString("yyyy-MM-dd", null));
        Assert.Equal(last, resolved.LastDay!.Value.ToString("yyyy-MM-dd", null));
        Assert.Equal(NewYork.AtStartOfDay(resolved.FirstDay.Value).ToDateTimeUtc(), resolved.Current.Start);
    }

    [Fact]
    public void A_range_with_today_ends_now_and_its_comparison_covers_the_same_elapsed_time()
    {
        // Just after midnight, 7 days "including today" hold 6 whole days and 30 minutes: the
        // previous period holds the same local time, not 7 whole days (which would bias % change
        // downwards). In instants the current one is an hour longer: it contains the DST change.
        var resolved = Resolve(RangePreset.Last7Days);
        Assert.Equal(Now.ToDateTimeUtc(), resolved.Current.End);
        Assert.Equal(new DateTime(2026, 10, 22, 4, 0, 0, DateTimeKind.Utc), resolved.Previous!.Start);
        Assert.Equal(new DateTime(2026, 10, 28, 4, 30, 0, DateTimeKind.Utc), resolved.Previous.End);
        Assert.Equal(resolved.Current.Length - TimeSpan.FromHours(1), resolved.Previous.Length);
    }

    [Fact]
    public void Yesterday_compares_with_the_day_before_even_across_the_DST_change()
    {
        var resolved = CalendarRanges.Resolve(new RangeRequest(null, null, new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 2), null), NewYork, Now, CompareTo.PreviousPeriod);
        Assert.Equal(TimeSpan.FromHours(24), resolved.Current.Length);
        Assert.Equal(TimeSpan.FromHours(25), resolved.Previous!.Length); // 1 November
    }

    [Fact]
    public void The_previous_year_is_52_weeks_back()
    {
        var resolved = Resolve(RangePreset.Yesterday, CompareTo.PreviousYear);
        var previous = Instant.FromDateTimeUtc(resolved.Previous!.Start).InZone(NewYork);
        Assert.Equal(new LocalDate(2025, 11, 4), previous.Date);
        Assert.Equal(IsoDayOfWeek.Tuesday, previous.DayOfWeek);
    }

    [Fact]
    public void Hourly_buckets_of_a_half_hour_zone_fall_on_its_local_hours()
    {
        var kolkata = DateTimeZoneProviders.Tzdb["Asia/Kolkata"];
        var range = CalendarRanges.Resolve(new RangeRequest(null, null, new DateOnly(2026, 11, 3), new DateOnly(2026, 11, 3), null), kolkata, Now, CompareTo.None).Current;
        var boundaries = CalendarBuckets.Boundaries(range, kolkata, SeriesInterval.Hour);
        Assert.Equal(25, boundaries.Count);
        Assert.All(boundaries, b => Assert.Equal(30, b.Minute));
    }
}
