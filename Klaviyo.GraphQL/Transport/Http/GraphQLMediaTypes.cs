using Microsoft.Net.Http.Headers;

namespace Klaviyo.GraphQL.Transport.Http;

public static class GraphQLMediaTypes
{
    public const string GraphQLResponse = "application/graphql-response+json";
    public const string Json = "application/json";

    /// <summary>
    /// Picks the response media type from Accept: the highest-quality type we can serve; plain
    /// application/json for a missing Accept or a wildcard (as legacy clients expect); null when
    /// nothing acceptable is offered (406).
    /// </summary>
    public static string? Negotiate(string? accept)
    {
        // The two headers clients send nearly always, answered without parsing.
        if (string.Equals(accept, GraphQLResponse, StringComparison.OrdinalIgnoreCase))
            return GraphQLResponse;
        if (string.Equals(accept, Json, StringComparison.OrdinalIgnoreCase))
            return Json;
        if (string.IsNullOrWhiteSpace(accept) || !MediaTypeHeaderValue.TryParseList([accept], out var offered))
            return Json;
        foreach (var type in offered.OrderByDescending(t => t.Quality ?? 1.0))
        {
            if (type.Quality == 0)
                continue;
            var name = type.MediaType.Value;
            if (string.Equals(name, GraphQLResponse, StringComparison.OrdinalIgnoreCase))
                return GraphQLResponse;
            if (string.Equals(name, Json, StringComparison.OrdinalIgnoreCase) || name is "*/*" || string.Equals(name, "application/*", StringComparison.OrdinalIgnoreCase))
                return Json;
        }
        return null;
    }

    /// <summary>POST bodies must be application/json, in UTF-8 if a charset is named.</summary>
    public static bool IsJsonRequest(string? contentType) =>
        string.Equals(contentType, Json, StringComparison.OrdinalIgnoreCase)
        || string.Equals(contentType, Json + "; charset=utf-8", StringComparison.OrdinalIgnoreCase)
        || MediaTypeHeaderValue.TryParse(contentType, out var type)
        && string.Equals(type.MediaType.Value, Json, StringComparison.OrdinalIgnoreCase)
        && (type.Charset.Value is null || string.Equals(type.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase));
}
