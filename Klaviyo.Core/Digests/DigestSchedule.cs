using System.Globalization;
using Cronos;
using Klaviyo.Core.Data;
using NodaTime;

namespace Klaviyo.Core.Digests;

/// <summary>
/// When a digest is due and what it covers, in the account's calendar. The schedule is a cron
/// expression (Cronos) read against the account's local wall clock; local times map to instants with
/// NodaTime's time zone database (the one every report uses, present on every host, unlike the
/// system's zoneinfo): "08:00 America/New_York" is 08:00 local on both sides of a DST change. A time
/// that a spring-forward skips is sent at the first instant after the gap.
/// </summary>
public static class DigestSchedule
{
    public static string Cron(Digest digest) => Enum.Parse<DigestFrequency>(digest.Frequency) switch
    {
        DigestFrequency.Daily => $"0 {digest.Hour} * * *",
        // Cron counts Sunday as 0; ours, like ISO, as 7.
        DigestFrequency.Weekly => $"0 {digest.Hour} * * {(digest.DayOfWeek ?? 1) % 7}",
        _ => $"0 {digest.Hour} {digest.DayOfMonth ?? 1} * *",
    };

    /// <summary>The first occurrence strictly after <paramref name="afterUtc"/>.</summary>
    public static DateTime Next(Digest digest, DateTime afterUtc, DateTimeZone zone)
    {
        var expression = CronExpression.Parse(Cron(digest));
        var after = Instant.FromDateTimeUtc(DateTime.SpecifyKind(afterUtc, DateTimeKind.Utc));
        // Cronos walks the local wall clock (as if it were UTC); each local occurrence then maps to its instant.
        var local = after.InZone(zone).LocalDateTime.ToDateTimeUnspecified();
        for (var i = 0; i < 3; i++)
        {
            var next = expression.GetNextOccurrence(DateTime.SpecifyKind(local, DateTimeKind.Utc))
                ?? throw new InvalidOperationException($"'{Cron(digest)}' has no next occurrence.");
            var instant = LocalDateTime.FromDateTime(next).InZoneLeniently(zone).ToInstant();
            // An hour repeated by a fall-back can map before 'after': look past it.
            if (instant > after)
                return instant.ToDateTimeUtc();
            local = next;
        }
        throw new InvalidOperationException("No occurrence after the DST change.");
    }

    /// <summary>The calendar days the occurrence at <paramref name="dueUtc"/> reports on: whole days before its local date.</summary>
    public static (LocalDate From, LocalDate To) Window(DigestFrequency frequency, DateTime dueUtc, DateTimeZone zone)
    {
        var day = Instant.FromDateTimeUtc(DateTime.SpecifyKind(dueUtc, DateTimeKind.Utc)).InZone(zone).Date;
        return frequency switch
        {
            DigestFrequency.Daily => (day.PlusDays(-1), day.PlusDays(-1)),
            DigestFrequency.Weekly => (day.PlusDays(-7), day.PlusDays(-1)),
            _ => (day.PlusMonths(-1).With(DateAdjusters.StartOfMonth), day.PlusMonths(-1).With(DateAdjusters.EndOfMonth)),
        };
    }

    /// <summary>"Daily at 08:00", "Mondays at 08:00", "On the 1st at 08:00".</summary>
    public static string Describe(Digest digest)
    {
        var at = $"at {digest.Hour:00}:00";
        return Enum.Parse<DigestFrequency>(digest.Frequency) switch
        {
            DigestFrequency.Daily => $"Daily {at}",
            DigestFrequency.Weekly => $"{(IsoDayOfWeek)(digest.DayOfWeek ?? 1)}s {at}",
            _ => $"Monthly on day {(digest.DayOfMonth ?? 1).ToString(CultureInfo.InvariantCulture)} {at}",
        };
    }
}
