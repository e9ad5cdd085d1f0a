using System.Text.Json;
using System.Text.Json.Serialization;

namespace Klaviyo.Core.Alerts;

/// <summary>How definitions are stored: enums by name, so a stored rule survives a reordering of an enum.</summary>
public static class AlertJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Write(AlertDefinition definition) => JsonSerializer.Serialize(definition, Options);

    public static AlertDefinition Read(string json) => JsonSerializer.Deserialize<AlertDefinition>(json, Options) ?? throw new JsonException("An empty alert definition.");
}
