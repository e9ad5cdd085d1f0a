using System.Text.Json;

namespace Klaviyo.GraphQL.Transport.WebSockets;

/// <summary>A graphql-transport-ws message from the client, validated for shape.</summary>
internal sealed record ClientMessage(string Type, string? Id, string? Query, string? OperationName, string? Variables, string? Extensions, string? Authorization)
{
    public static ClientMessage Parse(ReadOnlyMemory<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            throw new FormatException("a message is a JSON object with a string 'type'");
        var id = root.TryGetProperty("id", out var i) ? i.ValueKind == JsonValueKind.String && i.GetString() is { Length: > 0 } s ? s : throw new FormatException("'id' must be a non-empty string") : null;
        var payload = root.TryGetProperty("payload", out var p) && p.ValueKind != JsonValueKind.Null ? p : (JsonElement?)null;
        if (payload is { ValueKind: not JsonValueKind.Object })
            throw new FormatException("'payload' must be an object");
        return new ClientMessage(
            type.GetString()!,
            id,
            Text(payload, "query"),
            Text(payload, "operationName"),
            Raw(payload, "variables"),
            Raw(payload, "extensions"),
            Text(payload, "authorization") ?? Text(payload, "Authorization"));
    }

    private static string? Text(JsonElement? payload, string name) =>
        payload?.TryGetProperty(name, out var value) == true && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Raw(JsonElement? payload, string name) =>
        payload?.TryGetProperty(name, out var value) == true && value.ValueKind == JsonValueKind.Object ? value.GetRawText() : null;
}
