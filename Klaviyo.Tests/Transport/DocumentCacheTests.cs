using System.Net;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Transport;
using Klaviyo.Tests.Security;

namespace Klaviyo.Tests.Transport;

/// <summary>
/// A document parsed and validated once skips the specification's rules afterwards, but never the
/// rules that read the caller or the variables: roles, operation rate limits and complexity.
/// </summary>
public sealed class DocumentCacheTests(SecuredApiFactory factory) : IClassFixture<SecuredApiFactory>
{
    [Fact]
    public async Task A_document_that_ran_once_is_kept_parsed_and_validated()
    {
        const string query = "query DocumentCacheKept { metrics { nodes { id name } } }";
        var response = await factory.GraphQLAs(Roles.Viewer).PostAsync(query);
        Assert.True(response.Errors is null, response.Body);

        var documents = factory.Service<DocumentCache>();
        var entry = documents.GetOrParse(query);
        Assert.NotNull(entry);
        Assert.True(entry.Validated);
        Assert.Same(entry, documents.GetOrParse(query));
    }

    [Fact]
    public async Task A_validated_document_still_checks_the_callers_role()
    {
        const string query = "query DocumentCacheRoles { apiKeys { id } }";
        Assert.Equal(HttpStatusCode.OK, (await factory.GraphQLAs(Roles.Admin).PostAsync(query)).Status);
        Assert.True(factory.Service<DocumentCache>().GetOrParse(query)!.Validated);

        var viewer = await factory.GraphQLAs(Roles.Viewer).PostAsync(query, accept: "application/graphql-response+json");
        Assert.Equal(HttpStatusCode.Forbidden, viewer.Status);
        Assert.Equal("FORBIDDEN", viewer.Errors![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_validated_document_still_measures_its_complexity_with_the_variables_sent()
    {
        // Complexity multiplies by `first`, which here comes from a variable: the same text is cheap or too costly.
        var aliases = string.Concat(Enumerable.Range(0, 60).Select(i =>
            $"c{i}: campaigns(first: $first) {{ nodes {{ id name status channel subject delivered openRate clickRate conversionRate revenue }} }} "));
        var query = "query DocumentCacheComplexity($first: Int!) { " + aliases + "}";
        var viewer = factory.GraphQLAs(Roles.Viewer);

        var cheap = await viewer.PostAsync(query, new { first = 1 });
        Assert.True(cheap.Errors is null, cheap.Body);
        Assert.True(factory.Service<DocumentCache>().GetOrParse(query)!.Validated);

        var costly = await viewer.PostAsync(query, new { first = 100 });
        Assert.False(costly.HasData);
        Assert.Contains("complexity", costly.Errors![0]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_same_variables_sent_again_reuse_their_validation_and_other_variables_are_validated()
    {
        const string query = "query DocumentCacheKept($first: Int!) { campaigns(first: $first) { nodes { id } } }";
        var viewer = factory.GraphQLAs(Roles.Viewer);
        var validator = factory.Service<Klaviyo.GraphQL.Execution.KeptValidator>();

        Assert.True((await viewer.PostAsync(query, new { first = 2 })).Errors is null);
        var served = validator.Served;
        // Another request id: not the stored whole response, but the same document and variables.
        var again = await viewer.SendRawAsync(System.Text.Json.JsonSerializer.Serialize(new { query, variables = new { first = 2 }, extensions = new { requestId = 1 } }));
        Assert.Equal(served + 1, validator.Served);
        var other = await viewer.PostAsync(query, new { first = 3 });
        Assert.Equal(served + 1, validator.Served);

        Assert.True(again.Errors is null, again.Body);
        Assert.True(other.Errors is null, other.Body);
    }

    [Fact]
    public async Task A_document_that_fails_validation_is_not_marked_validated_and_fails_again()
    {
        const string query = "query DocumentCacheInvalid { metrics { nodes { noSuchField } } }";
        var viewer = factory.GraphQLAs(Roles.Viewer);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var response = await viewer.PostAsync(query);
            Assert.False(response.HasData);
            Assert.Contains("noSuchField", response.Errors![0]!["message"]!.GetValue<string>());
        }
        Assert.False(factory.Service<DocumentCache>().GetOrParse(query)!.Validated);
    }

    [Fact]
    public async Task Variables_of_the_wrong_type_are_refused_for_a_validated_document()
    {
        const string query = "query DocumentCacheVariables($first: Int!) { campaigns(first: $first) { nodes { id } } }";
        var viewer = factory.GraphQLAs(Roles.Viewer);
        Assert.True((await viewer.PostAsync(query, new { first = 2 })).Errors is null);

        var wrong = await viewer.PostAsync(query, new { first = "two" });
        Assert.False(wrong.HasData);
        Assert.Equal("INVALID_VALUE", wrong.Errors![0]!["extensions"]!["code"]!.GetValue<string>());
    }
}
