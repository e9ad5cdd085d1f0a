using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Extensions;

namespace Klaviyo.Sandbox;

/// <summary>JSON:API documents with absolute links under the sandbox's own base URL, as Klaviyo sends them.</summary>
public static class JsonApi
{
    public const string MediaType = "application/vnd.api+json";
    public const string Prefix = "/sandbox/klaviyo";

    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{Prefix}";

    public static JsonObject Resource(HttpRequest request, string type, string plural, string id, JsonObject attributes, JsonObject? relationships = null) =>
        Resource(BaseUrl(request), type, plural, id, attributes, relationships);

    /// <summary>A resource whose links are under <paramref name="baseUrl"/> (outside a request: a webhook delivery).</summary>
    public static JsonObject Resource(string baseUrl, string type, string plural, string id, JsonObject attributes, JsonObject? relationships = null)
    {
        var resource = new JsonObject
        {
            ["type"] = type,
            ["id"] = id,
            ["attributes"] = attributes,
            ["links"] = new JsonObject { ["self"] = $"{baseUrl}/api/{plural}/{id}/" },
        };
        if (relationships is not null)
            resource["relationships"] = relationships;
        return resource;
    }

    public static JsonObject ToOne(string type, string? id) =>
        new() { ["data"] = id is null ? null : new JsonObject { ["type"] = type, ["id"] = id } };

    /// <summary>One page of a collection; <paramref name="nextOffset"/> null on the last page.</summary>
    public static IResult Collection(HttpRequest request, IEnumerable<JsonObject> data, long? nextOffset, JsonArray? included = null)
    {
        var self = request.GetEncodedUrl();
        var links = new JsonObject { ["self"] = self, ["next"] = nextOffset is long n ? WithCursor(request, SandboxCursor.Encode(n)) : null, ["prev"] = null };
        var document = new JsonObject { ["data"] = new JsonArray([.. data]), ["links"] = links };
        if (included is not null)
            document["included"] = included;
        return Document(document);
    }

    public static IResult Single(HttpRequest request, JsonObject data) =>
        Document(new JsonObject { ["data"] = data, ["links"] = new JsonObject { ["self"] = request.GetEncodedUrl() } });

    public static IResult Document(JsonObject document) => Results.Text(document.ToJsonString(), MediaType);

    private static string WithCursor(HttpRequest request, string cursor)
    {
        var query = request.Query.Where(p => p.Key != "page[cursor]")
            .SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append("page%5Bcursor%5D=" + Uri.EscapeDataString(cursor));
        var path = request.Path.Value!.TrimEnd('/') + "/";
        return $"{request.Scheme}://{request.Host}{request.PathBase}{path}?{string.Join('&', query)}";
    }

    public static string Iso(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss+00:00", System.Globalization.CultureInfo.InvariantCulture);
}
