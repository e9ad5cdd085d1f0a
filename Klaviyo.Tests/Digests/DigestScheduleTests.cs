using Klaviyo.Core.Data;
using Klaviyo.Core.Digests;
using NodaTime;

namespace Klaviyo.Tests.Digests;

/// <summary>When digests are due, in the account's calendar: 08:00 New York stays 08:00 local across both DST changes.</summary>
public sealed class DigestScheduleTests
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    private static Digest Daily(int hour = 8) => new() { Name = "d", Frequency = nameof(DigestFrequency.Daily), Hour = hour, UpdatedBy = "t" };

    private static DateTime Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    [Fact]
    public void A_digest_at_0800_New_York_is_sent_at_0800_local_on_both_sides_of_the_spring_change()
    {
        // 2026-03-08: clocks go from 02:00 EST to 03:00 EDT.
        var saturday = DigestSchedule.Next(Daily(), Utc(2026, 3, 7, 0), NewYork);
        var sunday = DigestSchedule.Next(Daily(), saturday, NewYork);
        var monday = DigestSchedule.Next(Daily(), sunday, NewYork);
        Assert.Equal(Utc(2026, 3, 7, 13), saturday); // 08:00 EST = 13:00 UTC
        Assert.Equal(Utc(2026, 3, 8, 12), sunday);   // 08:00 EDT = 12:00 UTC
        Assert.Equal(Utc(2026, 3, 9, 12), monday);
        Assert.Equal(TimeSpan.FromHours(23), sunday - saturday);
    }

    [Fact]
    public void A_digest_at_0800_New_York_is_sent_at_0800_local_on_both_sides_of_the_autumn_change()
    {
        // 2026-11-01: clocks go from 02:00 EDT back to 01:00 EST.
        var saturday = DigestSchedule.Next(Daily(), Utc(2026, 10, 31, 0), NewYork);
        var sunday = DigestSchedule.Next(Daily(), saturday, NewYork);
        Assert.Equal(Utc(2026, 10, 31, 12), saturday);
        Assert.Equal(Utc(2026, 11, 1, 13), sunday);
        Assert.Equal(TimeSpan.FromHours(25), sunday - saturday);
    }

    [Fact]
    public void An_hour_the_clocks_skip_is_sent_after_the_gap_and_an_hour_they_repeat_is_sent_once()
    {
        var skipped = DigestSchedule.Next(Daily(2), Utc(2026, 3, 8, 0), NewYork);
        Assert.Equal(Utc(2026, 3, 8, 7), skipped); // 02:00 does not exist: 03:00 EDT
        var repeated = DigestSchedule.Next(Daily(1), Utc(2026, 11, 1, 0), NewYork);
        Assert.Equal(Utc(2026, 11, 1, 5), repeated); // the first 01:00 (EDT)
        Assert.Equal(Utc(2026, 11, 2, 6), DigestSchedule.Next(Daily(1), repeated, NewYork)); // not again at the second 01:00
    }

    [Fact]
    public void Weekly_and_monthly_digests_fall_on_their_day_and_report_whole_days_before_it()
    {
        var weekly = new Digest { Name = "w", Frequency = nameof(DigestFrequency.Weekly), Hour = 9, DayOfWeek = 1, UpdatedBy = "t" };
        var monday = DigestSchedule.Next(weekly, Utc(2026, 12, 2, 0), NewYork);
        Assert.Equal(Utc(2026, 12, 7, 14), monday);
        Assert.Equal("0 9 * * 1", DigestSchedule.Cron(weekly));
        Assert.Equal("Mondays at 09:00", DigestSchedule.Describe(weekly));
        Assert.Equal((new LocalDate(2026, 11, 30), new LocalDate(2026, 12, 6)), DigestSchedule.Window(DigestFrequency.Weekly, monday, NewYork));

        var sunday = weekly;
        sunday.DayOfWeek = 7;
        Assert.Equal("0 9 * * 0", DigestSchedule.Cron(sunday));

        var monthly = new Digest { Name = "m", Frequency = nameof(DigestFrequency.Monthly), Hour = 7, DayOfMonth = 1, UpdatedBy = "t" };
        var first = DigestSchedule.Next(monthly, Utc(2026, 12, 5, 0), NewYork);
        Assert.Equal(Utc(2027, 1, 1, 12), first);
        Assert.Equal((new LocalDate(2026, 12, 1), new LocalDate(2026, 12, 31)), DigestSchedule.Window(DigestFrequency.Monthly, first, NewYork));
        // Just after midnight UTC, it is still the evening before in New York: "yesterday" is New York's.
        Assert.Equal((new LocalDate(2026, 12, 3), new LocalDate(2026, 12, 3)), DigestSchedule.Window(DigestFrequency.Daily, Utc(2026, 12, 5, 1), NewYork));
    }
}
