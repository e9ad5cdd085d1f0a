using System.Text.Json;

namespace Klaviyo.Web.Client;

/// <summary>A schema enum value as written in URLs and the schema (SMS, LAST_30_DAYS) to its generated C# enum.</summary>
public static class GraphQLEnum
{
    public static T? Parse<T>(string? value) where T : struct, Enum =>
        value is null ? null : JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value), ClientJson.Strict);
}
