using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Queries;

/// <summary>Flows, segments, lists and forms share the campaigns' paging, filtering and sorting; each is checked here on its own fields.</summary>
public sealed class OtherConnectionTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    private readonly GraphQLTestClient _client = factory.GraphQL();

    [Theory]
    [InlineData("flows", "", new[] { "F2", "F1", "F3" })]                                        // by name
    [InlineData("flows", "(where: { status: { eq: \"live\" } }, order: [{ revenue: DESC }])", new[] { "F2", "F1" })]
    [InlineData("flows", "(where: { triggerType: { eq: \"Metric\" } }, order: [{ clickRate: DESC }])", new[] { "F2", "F3" })]
    [InlineData("segments", "", new[] { "S1", "S3", "S2" })]                                     // largest first
    [InlineData("segments", "(where: { isActive: { eq: true }, profileCount: { lt: 1000 } })", new[] { "S2" })]
    [InlineData("segments", "(order: [{ isStarred: DESC }, { name: ASC }])", new[] { "S2", "S1", "S3" })]
    [InlineData("lists", "", new[] { "L1", "L2" })]
    [InlineData("lists", "(where: { optInProcess: { eq: \"single_opt_in\" } })", new[] { "L2" })]
    [InlineData("lists", "(where: { updated: { gt: \"2026-02-01T00:00:00Z\" } })", new[] { "L1" })]
    [InlineData("forms", "", new[] { "FO1", "FO2", "FO3" })]                                     // most submissions first
    [InlineData("forms", "(order: [{ submitRate: DESC }])", new[] { "FO2", "FO1", "FO3" })]
    [InlineData("forms", "(where: { views: { gte: 500 } })", new[] { "FO1" })]
    public async Task Filters_and_sorts_apply_to_every_connection(string field, string arguments, string[] expected)
    {
        var data = await _client.QueryAsync($"{{ {field}{arguments} {{ nodes {{ id }} totalCount }} }}");
        Assert.Equal(expected, data[field]!["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()));
        Assert.Equal(expected.Length, data[field]!["totalCount"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("flows")]
    [InlineData("segments")]
    [InlineData("lists")]
    [InlineData("forms")]
    public async Task Every_connection_pages_with_cursors(string field)
    {
        var first = await _client.QueryAsync($"{{ {field}(first: 1) {{ nodes {{ id }} pageInfo {{ endCursor hasNextPage }} }} }}");
        var cursor = first[field]!["pageInfo"]!["endCursor"]!.GetValue<string>();
        var rest = await _client.QueryAsync($"{{ {field}(first: 100, after: \"{cursor}\") {{ nodes {{ id }} pageInfo {{ hasNextPage hasPreviousPage }} totalCount }} }}");

        Assert.True(first[field]!["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.Equal(rest[field]!["totalCount"]!.GetValue<int>() - 1, rest[field]!["nodes"]!.AsArray().Count);
        Assert.True(rest[field]!["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
        Assert.False(rest[field]!["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.Equal("INVALID_INPUT", await _client.ErrorCodeAsync($"{{ {field}(first: 0) {{ totalCount }} }}"));
    }

    [Fact]
    public async Task Form_submit_rate_is_unique_submissions_over_unique_views()
    {
        var data = await _client.QueryAsync("{ forms { nodes { id views submissions submitRate } } }");
        var forms = data["forms"]!["nodes"]!.AsArray();
        Assert.Equal(0.05, forms[0]!["submitRate"]!.GetValue<double>(), 12);
        Assert.Null(forms[2]!["submitRate"]);
    }

    [Fact]
    public async Task Metrics_are_listed_by_name_with_freshness()
    {
        var data = await _client.QueryAsync("{ metrics { nodes { id name integrationName } lastUpdated dataSource } }");
        Assert.Equal(["Opened Email", "Placed Order", "Submitted Form"], data["metrics"]!["nodes"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()));
        Assert.Equal(TestData.SyncedAt, data["metrics"]!["lastUpdated"]!.GetValue<DateTime>().ToUniversalTime());
    }
}
