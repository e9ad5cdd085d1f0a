using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Klaviyo.Core.Data;
using Klaviyo.Core.TimeRanges;

namespace Klaviyo.Core.Freshness;

/// <summary>Every cache key and tag, in one place: a key names a result, a tag names an entity it was read from.</summary>
public static class CacheKeys
{
    public static string Overview(DateRange range, DateRange? previous, object interval) =>
        $"overview:{Range(range)}:{(previous is null ? "none" : Range(previous))}:{interval}";

    /// <summary>
    /// A range that ends now is keyed by its days, not its instants (which move every second): the
    /// copy serves until a sync of what it reads evicts it, as for any other range.
    /// </summary>
    public static string OverviewEndingNow(string firstDay, string lastDay, object compare, object extra) =>
        $"overview:{firstDay}..{lastDay}:now:{compare}:{extra}";

    /// <summary>A portfolio row's figures; a range that ends now keyed by its days, as the overview's.</summary>
    public static string Portfolio(DateRange range, DateRange? previous, string timezone) =>
        $"portfolio:{Range(range)}:{(previous is null ? "none" : Range(previous))}:{timezone}";

    public static string PortfolioEndingNow(string firstDay, string lastDay, object compare, string timezone) =>
        $"portfolio:{firstDay}..{lastDay}:now:{compare}:{timezone}";

    public static string Account() => "account";

    public static string ConversionMetrics() => "conversionMetrics";

    public static string Metrics() => "metrics";

    public static string MetricSeries(string metricId, DateRange range, object interval, object measurement) =>
        $"metricSeries:{metricId}:{Range(range)}:{interval}:{measurement}";

    public static string SyncStates() => "syncStates";

    /// <summary>A connection page: its field plus a hash of paging, filter and order arguments.</summary>
    public static string Connection(string field, object arguments) => $"{field}:{Hash(JsonSerializer.Serialize(arguments))}";

    /// <summary>A whole HTTP response: by the media type it was written in and the request's exact bytes (POST body or query string).</summary>
    public static string Response(string mediaType, ReadOnlySpan<byte> request)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(request, hash);
        return $"response:{mediaType}:{Convert.ToHexString(hash[..16])}";
    }

    public static string Tag(SyncEntity entity) => $"entity:{entity}";

    public static string[] Tags(IEnumerable<SyncEntity> entities) => [.. entities.Select(Tag)];

    /// <summary>Whole responses carry these as well: a sync that only confirmed an entity drops them, not the field results.</summary>
    public static string[] ResponseTags(IEnumerable<SyncEntity> entities) => [.. entities.Select(e => $"response:{e}")];

    private static string Range(DateRange range) => $"{range.Start:yyyyMMddHHmmss}-{range.End:yyyyMMddHHmmss}";

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 16);
}
