namespace Klaviyo.Core.Alerts.Delivery;

/// <summary>The contact points a rule or digest sends to, as stored: ids, comma-separated.</summary>
public static class ContactPointList
{
    public static IEnumerable<Guid> Parse(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => Guid.TryParse(t, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty);
}
