using System.Text.Json;

namespace Klaviyo.Web.Client;

/// <summary>Which page of a connection to read: forward from <see cref="After"/> or backward from <see cref="Before"/>, sorted by one field.</summary>
public sealed record PageQuery(int Size, string? After = null, string? Before = null, string? SortField = null, bool Descending = false)
{
    public int? First => Before is null ? Size : null;

    public int? Last => Before is null ? null : Size;

    /// <summary>The one sort field as the connection's sort input (e.g. <c>[{ revenue: DESC }]</c>); null when unsorted.</summary>
    public IReadOnlyList<TSort>? Order<TSort>() => SortField is null
        ? null
        : [JsonSerializer.Deserialize<TSort>(JsonSerializer.Serialize(new Dictionary<string, string> { [SortField] = Descending ? "DESC" : "ASC" }), ClientJson.Strict)!];
}
