using System.Globalization;
using System.Text.Json;
using Klaviyo.Core.RestClient;

namespace Klaviyo.Core.Sync.Entities;

/// <summary>Reads JSON:API resources defensively: a missing or mistyped field is an invalid response, named.</summary>
public static class JsonApiElement
{
    public static string Id(this JsonElement resource) =>
        resource.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : throw Invalid("a resource without an id");

    public static JsonElement Attributes(this JsonElement resource) =>
        resource.TryGetProperty("attributes", out var a) && a.ValueKind == JsonValueKind.Object ? a : throw Invalid($"resource {resource.Id()} without attributes");

    public static JsonElement? Path(this JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element) || element.ValueKind == JsonValueKind.Null)
                return null;
        }
        return element;
    }

    public static string? String(this JsonElement element, params string[] path) =>
        element.Path(path) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    public static string RequiredString(this JsonElement element, string name) =>
        element.String(name) ?? throw Invalid($"'{name}' missing or not a string");

    public static bool Bool(this JsonElement element, string name) =>
        element.Path(name) is { ValueKind: JsonValueKind.True };

    public static double Number(this JsonElement element, params string[] path) =>
        element.Path(path) is { ValueKind: JsonValueKind.Number } n ? n.GetDouble() : 0;

    public static int? Int(this JsonElement element, params string[] path) =>
        element.Path(path) is { ValueKind: JsonValueKind.Number } n ? (int)n.GetDouble() : null;

    public static DateTime? Date(this JsonElement element, params string[] path) =>
        element.String(path) is { } text
            ? DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d)
                ? DateTime.SpecifyKind(d, DateTimeKind.Utc)
                : throw Invalid($"'{string.Join('.', path)}' is not a date: '{text}'")
            : null;

    public static DateTime RequiredDate(this JsonElement element, string name) =>
        element.Date(name) ?? throw Invalid($"'{name}' missing");

    /// <summary>The ids a relationship links to.</summary>
    public static IEnumerable<(string Type, string Id)> Linkage(this JsonElement resource, string relationship)
    {
        if (resource.Path("relationships", relationship, "data") is not { } data)
            yield break;
        foreach (var item in data.ValueKind == JsonValueKind.Array ? data.EnumerateArray() : Enumerable.Repeat(data, 1))
            if (item.String("type") is { } type && item.String("id") is { } id)
                yield return (type, id);
    }

    private static KlaviyoException Invalid(string what) => new(KlaviyoFailure.InvalidResponse, $"Klaviyo sent {what}.");
}
