using System.Globalization;
using System.Text.Json;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Sandbox;

/// <summary>The sandbox's answers have the shapes Klaviyo's spec gives its responses.</summary>
public sealed class SandboxSpecTests(SandboxApiFactory factory) : IClassFixture<SandboxApiFactory>
{
    private async Task<JsonDocument> GetAsync(string pathAndQuery)
    {
        var client = factory.CreateClient();
        using var request = SandboxApiFactory.SandboxRequest(HttpMethod.Get, pathAndQuery);
        var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{pathAndQuery}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/vnd.api+json", response.Content.Headers.ContentType!.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("get_accounts", "/api/accounts")]
    [InlineData("get_campaigns", "/api/campaigns?filter=equals(messages.channel,'email')")]
    [InlineData("get_messages_for_campaign", "/api/campaigns/{campaign}/campaign-messages")]
    [InlineData("get_flows", "/api/flows")]
    [InlineData("get_metrics", "/api/metrics")]
    [InlineData("get_segments", "/api/segments")]
    [InlineData("get_segment", "/api/segments/{segment}?additional-fields%5Bsegment%5D=profile_count")]
    [InlineData("get_lists", "/api/lists")]
    [InlineData("get_list", "/api/lists/{list}?additional-fields%5Blist%5D=profile_count")]
    [InlineData("get_forms", "/api/forms")]
    [InlineData("get_profiles", "/api/profiles?additional-fields%5Bprofile%5D=subscriptions")]
    [InlineData("get_events", "/api/events")]
    public async Task Responses_carry_the_spec_required_members_with_the_spec_types(string operation, string pathAndQuery)
    {
        var account = factory.Account;
        var now = DateTime.UtcNow;
        pathAndQuery = pathAndQuery
            .Replace("{campaign}", account.CampaignsAt(now)[0].Id)
            .Replace("{segment}", account.Segments[0].Id)
            .Replace("{list}", account.Lists[0].Id);
        var spec = KlaviyoSpec.Resources.GetProperty(operation);
        using var document = await GetAsync(pathAndQuery);
        var data = document.RootElement.GetProperty("data");
        var resources = data.ValueKind == JsonValueKind.Array ? data.EnumerateArray().ToList() : [data];
        Assert.NotEmpty(resources);

        foreach (var resource in resources)
        {
            foreach (var member in spec.GetProperty("resourceRequired").EnumerateArray())
                Assert.True(resource.TryGetProperty(member.GetString()!, out _), $"{operation}: resource lacks '{member}'");
            Assert.Equal(spec.GetProperty("type").GetString(), resource.GetProperty("type").GetString());
            var attributes = resource.GetProperty("attributes");
            foreach (var required in spec.GetProperty("required").EnumerateArray())
                Assert.True(attributes.TryGetProperty(required.GetString()!, out _), $"{operation}: attributes lack required '{required}'");
            var properties = spec.GetProperty("properties");
            foreach (var attribute in attributes.EnumerateObject())
            {
                Assert.True(properties.TryGetProperty(attribute.Name, out var schema), $"{operation}: '{attribute.Name}' is not an attribute of '{spec.GetProperty("type")}' in the spec");
                AssertType(operation, attribute.Name, attribute.Value, schema);
            }
        }
    }

    private static void AssertType(string operation, string name, JsonElement value, JsonElement schema)
    {
        var where = $"{operation}.{name}";
        if (value.ValueKind == JsonValueKind.Null)
        {
            Assert.True(schema.GetProperty("nullable").GetBoolean(), $"{where} is null but not nullable");
            return;
        }
        var type = schema.GetProperty("type").GetString();
        var ok = type switch
        {
            "string" => value.ValueKind == JsonValueKind.String,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            "number" => value.ValueKind == JsonValueKind.Number,
            "array" => value.ValueKind == JsonValueKind.Array,
            "object" or null => value.ValueKind == JsonValueKind.Object,
            _ => false,
        };
        Assert.True(ok, $"{where}: expected {type}, got {value.ValueKind}");
        if (schema.GetProperty("format").GetString() == "date-time")
            Assert.True(DateTimeOffset.TryParseExact(value.GetString(), "yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out _), $"{where}: '{value}' is not an ISO 8601 date-time with offset");
    }
}
