using System.Text.Json.Nodes;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Schema;

/// <summary>Introspection as tools send it today: graphql-js's query with every option (October 2021 spec and oneOf).</summary>
public sealed class IntrospectionTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly string Query = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schema", "graphql-js-introspection.graphql"));

    private async Task<JsonNode> SchemaAsync()
    {
        var response = await factory.GraphQL().PostAsync(Query);
        Assert.True(response.Errors is null, response.Body);
        return response.Data!["__schema"]!;
    }

    [Fact]
    public async Task Graphql_js_introspection_with_every_option_is_answered_without_errors()
    {
        var schema = await SchemaAsync();
        Assert.StartsWith("Klaviyo Analytics Dashboard", schema["description"]!.GetValue<string>());
        var directives = schema["directives"]!.AsArray().ToDictionary(d => d!["name"]!.GetValue<string>(), d => d!);
        Assert.All(directives.Values, d => Assert.NotNull(d["isRepeatable"]));
        Assert.False(directives["deprecated"]["isRepeatable"]!.GetValue<bool>());

        var specifiedBy = directives["specifiedBy"];
        Assert.Equal(["SCALAR"], specifiedBy["locations"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("url", Assert.Single(specifiedBy["args"]!.AsArray())!["name"]!.GetValue<string>());
        Assert.Contains("oneOf", directives.Keys);
    }

    [Fact]
    public async Task Date_scalars_say_where_their_format_is_specified_and_input_types_say_whether_they_are_oneOf()
    {
        var types = (await SchemaAsync())["types"]!.AsArray().ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!);
        Assert.Equal("https://scalars.graphql.org/andimarek/date-time.html", types["DateTime"]["specifiedByURL"]!.GetValue<string>());
        Assert.Equal("https://scalars.graphql.org/andimarek/local-date.html", types["DateOnly"]["specifiedByURL"]!.GetValue<string>());
        Assert.Null(types["String"]["specifiedByURL"]);
        Assert.Null(types["Campaign"]["specifiedByURL"]);
        Assert.False(types["DateRangeInput"]["isOneOf"]!.GetValue<bool>());
        // Arguments and input fields come with their deprecation state.
        Assert.All(types["DateRangeInput"]["inputFields"]!.AsArray(), f => Assert.NotNull(f!["isDeprecated"]));
    }

    [Fact]
    public async Task The_SDL_declares_specifiedBy_and_applies_it_to_the_date_scalars()
    {
        var sdl = await factory.CreateClient().GetStringAsync("/graphql?sdl");
        Assert.Contains("directive @specifiedBy(", sdl);
        Assert.Contains("scalar DateTime @specifiedBy(url: \"https://scalars.graphql.org/andimarek/date-time.html\")", sdl);
    }
}
