using Klaviyo.Web.Client.Models;

namespace Klaviyo.Web.Client;

/// <summary>
/// A payload as the dashboard shows it: the server's lastUpdated (the data's time, never the
/// fetch time) and the source — CACHE when the dashboard's own cache served it, unless the server
/// had already said FALLBACK.
/// </summary>
public sealed record Loaded<T>(T Data, DateTime? LastUpdated, DataSource Source, bool FromClientCache)
    where T : IFreshPayload
{
    public static Loaded<T> From(T payload, bool fromClientCache) =>
        new(payload, payload.LastUpdated, fromClientCache && payload.DataSource != DataSource.Fallback ? DataSource.Cache : payload.DataSource, fromClientCache);
}
