namespace Klaviyo.Core.Metrics;

/// <summary>The UTC hours and days the rollups are kept in: where an instant's bucket starts, and the first whole one at or after it.</summary>
internal static class UtcBuckets
{
    public static DateTime FloorHour(DateTime at) => new(at.Year, at.Month, at.Day, at.Hour, 0, 0, DateTimeKind.Utc);

    public static DateTime CeilHour(DateTime at) => FloorHour(at) == at ? at : FloorHour(at).AddHours(1);

    public static DateTime FloorDay(DateTime at) => DateTime.SpecifyKind(at.Date, DateTimeKind.Utc);

    public static DateTime CeilDay(DateTime at) => FloorDay(at) == at ? at : FloorDay(at).AddDays(1);
}
