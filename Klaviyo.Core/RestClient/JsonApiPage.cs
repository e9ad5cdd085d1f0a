using System.Text.Json;

namespace Klaviyo.Core.RestClient;

/// <summary>One JSON:API page, detached from its document so it outlives the response.</summary>
/// <param name="Next">Path and query of the next page (from links.next, rebased on our base URL), or null.</param>
public sealed record JsonApiPage(IReadOnlyList<JsonElement> Data, IReadOnlyList<JsonElement> Included, string? Next, string Self)
{
    public static JsonApiPage From(JsonDocument document, string self)
    {
        // One clone of the whole document, not one per resource: a 1,000-event page is one allocation, not 1,000.
        var root = document.RootElement.Clone();
        var data = root.GetProperty("data");
        IReadOnlyList<JsonElement> items = data.ValueKind == JsonValueKind.Array ? [.. data.EnumerateArray()] : [data];
        IReadOnlyList<JsonElement> included = root.TryGetProperty("included", out var inc) && inc.ValueKind == JsonValueKind.Array ? [.. inc.EnumerateArray()] : [];
        string? next = null;
        if (root.TryGetProperty("links", out var links) && links.ValueKind == JsonValueKind.Object
            && links.TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.String && Uri.TryCreate(n.GetString(), UriKind.Absolute, out var uri))
            next = RelativeToApi(uri);
        return new JsonApiPage(items, included, next, self);
    }

    /// <summary>"api/events/?filter=…&amp;page%5Bcursor%5D=…" from an absolute next link, whatever its host.</summary>
    private static string RelativeToApi(Uri next)
    {
        var path = next.AbsolutePath;
        var api = path.IndexOf("/api/", StringComparison.Ordinal);
        return (api < 0 ? path.TrimStart('/') : path[(api + 1)..]) + next.Query;
    }
}
