using System.Text.Json;
using GraphQL;
using Klaviyo.Core.Errors;

namespace Klaviyo.GraphQL.Transport.Http;

/// <summary>The four request parameters of GraphQL over HTTP, checked for type before anything runs.</summary>
public sealed record GraphQLHttpRequest(string Query, string? OperationName, Inputs? Variables, Inputs? Extensions);

/// <summary>A request that is not well-formed GraphQL over HTTP; always answered with 400.</summary>
public sealed class GraphQLRequestException(string message, int statusCode = StatusCodes.Status400BadRequest, string code = ErrorCodes.InvalidRequest)
    : Exception(message)
{
    public int StatusCode { get; } = statusCode;
    public string Code { get; } = code;
}

public static class GraphQLHttpRequestParser
{
    public static GraphQLHttpRequest FromJson(ReadOnlyMemory<byte> body, IGraphQLTextSerializer serializer)
    {
        if (body.IsEmpty)
            throw new GraphQLRequestException("The request body is empty; send a JSON object with a 'query' string.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new GraphQLRequestException($"The request body is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
                throw new GraphQLRequestException("Batched requests are not supported; send one JSON object per request.");
            if (root.ValueKind != JsonValueKind.Object)
                throw new GraphQLRequestException("The request body must be a JSON object with a 'query' string.");
            return new GraphQLHttpRequest(
                Query: RequiredQuery(root.TryGetProperty("query", out var q) ? q : null),
                OperationName: OptionalString(root, "operationName"),
                Variables: OptionalMap(root, "variables", serializer),
                Extensions: OptionalMap(root, "extensions", serializer));
        }
    }

    public static GraphQLHttpRequest FromQueryString(IQueryCollection query, IGraphQLTextSerializer serializer) => new(
        Query: Single(query, "query") is { Length: > 0 } text ? text : throw new GraphQLRequestException("The 'query' parameter is missing."),
        OperationName: Single(query, "operationName") is { Length: > 0 } name ? name : null,
        Variables: MapFromText(Single(query, "variables"), "variables", serializer),
        Extensions: MapFromText(Single(query, "extensions"), "extensions", serializer));

    private static string RequiredQuery(JsonElement? element) => element switch
    {
        null or { ValueKind: JsonValueKind.Null } => throw new GraphQLRequestException("The 'query' parameter is missing."),
        { ValueKind: JsonValueKind.String } e when e.GetString() is { Length: > 0 } text => text,
        { ValueKind: JsonValueKind.String } => throw new GraphQLRequestException("The 'query' parameter is empty."),
        { } e => throw new GraphQLRequestException($"The 'query' parameter must be a string, not {Describe(e.ValueKind)}."),
    };

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new GraphQLRequestException($"The '{name}' parameter must be a string or null, not {Describe(value.ValueKind)}.");
    }

    private static Inputs? OptionalMap(JsonElement root, string name, IGraphQLTextSerializer serializer)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Object)
            throw new GraphQLRequestException($"The '{name}' parameter must be an object or null, not {Describe(value.ValueKind)}.");
        return serializer.ReadNode<Inputs>(value);
    }

    private static Inputs? MapFromText(string? text, string name, IGraphQLTextSerializer serializer)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Null)
                return null;
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new GraphQLRequestException($"The '{name}' parameter must be a JSON object, not {Describe(document.RootElement.ValueKind)}.");
        }
        catch (JsonException e)
        {
            throw new GraphQLRequestException($"The '{name}' parameter is not valid JSON: {e.Message}");
        }
        return serializer.Deserialize<Inputs>(text);
    }

    private static string? Single(IQueryCollection query, string name)
    {
        var values = query[name];
        return values.Count > 1 ? throw new GraphQLRequestException($"The '{name}' parameter is given more than once.") : values.ToString();
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.String => "a string",
        _ => "null",
    };
}
