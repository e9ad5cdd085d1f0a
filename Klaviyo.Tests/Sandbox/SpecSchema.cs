using System.Globalization;
using System.Text.Json;

namespace Klaviyo.Tests.Sandbox;

/// <summary>
/// A validator for the OpenAPI 3.0 schemas in Spec/schemas.json, enough for Klaviyo's request and
/// response bodies: type (with nullable), required, properties, items, enum, oneOf/anyOf/allOf and
/// the formats date-time (RFC 3339: an offset or Z is required) and date. Returns every violation
/// with its JSON pointer, so a test can print them all.
/// </summary>
public static class SpecSchema
{
    private static readonly string File = Path.Combine(AppContext.BaseDirectory, "Sandbox", "Spec", "schemas.json");
    private static readonly JsonElement Schemas = JsonDocument.Parse(System.IO.File.ReadAllText(File)).RootElement;

    /// <summary>The request schema of the operation this method and path are, or null when the body of that call is not vendored.</summary>
    public static (string OperationId, JsonElement Schema)? RequestFor(string method, string path) =>
        KlaviyoSpec.Endpoints.FirstOrDefault(e => e.Matches(method, path)) is { } endpoint
            && Schemas.GetProperty("requests").TryGetProperty(endpoint.OperationId, out var request)
            ? (endpoint.OperationId, request.GetProperty("schema"))
            : null;

    public static JsonElement Response(string operationId) => Schemas.GetProperty("responses").GetProperty(operationId).GetProperty("schema");

    public static List<string> Validate(JsonElement value, JsonElement schema)
    {
        var violations = new List<string>();
        Check(value, schema, "", violations);
        return violations;
    }

    private static void Check(JsonElement value, JsonElement schema, string pointer, List<string> violations)
    {
        if (schema.TryGetProperty("allOf", out var all))
            foreach (var part in all.EnumerateArray())
                Check(value, part, pointer, violations);
        foreach (var keyword in new[] { "oneOf", "anyOf" })
        {
            if (!schema.TryGetProperty(keyword, out var choices))
                continue;
            var matching = choices.EnumerateArray().Count(c => Validate(value, c).Count == 0);
            if (matching == 0 || (keyword == "oneOf" && matching > 1))
                violations.Add($"{Where(pointer)}: {value.GetRawText()} matches {matching} of the {keyword} schemas");
        }
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (schema.TryGetProperty("type", out _) && !(schema.TryGetProperty("nullable", out var nullable) && nullable.GetBoolean()))
                violations.Add($"{Where(pointer)}: null is not allowed");
            return;
        }
        if (schema.TryGetProperty("type", out var type) && !HasType(value, type.GetString()!))
        {
            violations.Add($"{Where(pointer)}: {value.ValueKind} where the spec says {type.GetString()}");
            return;
        }
        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => a.GetRawText() == value.GetRawText()))
            violations.Add($"{Where(pointer)}: {value.GetRawText()} is not one of the spec's values");
        if (schema.TryGetProperty("format", out var format) && value.ValueKind == JsonValueKind.String && !HasFormat(value.GetString()!, format.GetString()!))
            violations.Add($"{Where(pointer)}: '{value.GetString()}' is not a {format.GetString()} (RFC 3339)");
        if (value.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("required", out var required))
                foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                    if (!value.TryGetProperty(name, out _))
                        violations.Add($"{Where(pointer)}: the required member '{name}' is missing");
            if (schema.TryGetProperty("properties", out var properties))
                foreach (var member in value.EnumerateObject())
                    if (properties.TryGetProperty(member.Name, out var memberSchema))
                        Check(member.Value, memberSchema, $"{pointer}/{member.Name}", violations);
        }
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
                Check(item, items, $"{pointer}/{index++}", violations);
        }
    }

    private static string Where(string pointer) => pointer.Length == 0 ? "/" : pointer;

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        _ => true,
    };

    private static bool HasFormat(string text, string format) => format switch
    {
        "date-time" => Klaviyo.Api.Rfc3339.TryParse(text, out _),
        "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        _ => true,
    };
}
