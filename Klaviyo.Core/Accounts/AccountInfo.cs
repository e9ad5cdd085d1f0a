using NodaTime;

namespace Klaviyo.Core.Accounts;

/// <summary>The account's calendar and currency. Before its first sync: UTC and USD, and <see cref="Synced"/> false.</summary>
public sealed record AccountInfo(string Name, string Timezone, string Currency, bool Synced)
{
    public static readonly AccountInfo Unsynced = new("", "UTC", "USD", false);

    public DateTimeZone Zone => DateTimeZoneProviders.Tzdb.GetZoneOrNull(Timezone) ?? DateTimeZone.Utc;
}
