using System.Text.Json;
using System.Text.Json.Serialization;

namespace Klaviyo.GraphQL.Execution;

/// <summary>A value already serialized (UTF-8 JSON), written as it is.</summary>
[JsonConverter(typeof(Converter))]
public sealed class RawJson(byte[] utf8)
{
    public ReadOnlyMemory<byte> Utf8 => utf8;

    private sealed class Converter : JsonConverter<RawJson>
    {
        public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("RawJson is written, never read.");

        // Validated when it was serialized; checking again would cost what keeping it saves.
        public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
    }
}
