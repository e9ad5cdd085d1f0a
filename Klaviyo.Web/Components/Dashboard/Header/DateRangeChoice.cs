namespace Klaviyo.Web.Components.Dashboard.Header;

/// <summary>The window the dashboard reports on: a preset number of days up to the end of today (UTC), or custom dates.</summary>
public sealed record DateRangeChoice(DateTime Start, DateTime End, int? PresetDays)
{
    public static DateRangeChoice LastDays(int days, DateTime now)
    {
        var end = now.ToUniversalTime().Date.AddDays(1);
        return new DateRangeChoice(end.AddDays(-days), end, days);
    }

    public static DateRangeChoice Custom(DateTime from, DateTime to) =>
        new(DateTime.SpecifyKind(from.Date, DateTimeKind.Utc), DateTime.SpecifyKind(to.Date.AddDays(1), DateTimeKind.Utc), null);

    public string Label => PresetDays is int days ? $"Last {days} days" : $"{Start:MMM d} – {End.AddDays(-1):MMM d}";
}
