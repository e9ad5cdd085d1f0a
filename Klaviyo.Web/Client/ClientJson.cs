using System.Text.Json;
using System.Text.Json.Serialization;

namespace Klaviyo.Web.Client;

/// <summary>
/// Strict: a field the server sends that a result record lacks, or a field a record needs that
/// the server did not send, fails deserialization instead of turning silently into a default.
/// </summary>
public static class ClientJson
{
    public static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false) },
    };
}
