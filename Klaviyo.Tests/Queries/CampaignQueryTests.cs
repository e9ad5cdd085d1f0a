using System.Text.Json.Nodes;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Queries;

public sealed class CampaignQueryTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    private readonly GraphQLTestClient _client = factory.GraphQL();

    private async Task<JsonNode> CampaignsAsync(string arguments, string fields = "nodes { id }")
    {
        var data = await _client.QueryAsync($"{{ campaigns{arguments} {{ {fields} totalCount pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} lastUpdated dataSource }} }}");
        return data["campaigns"]!;
    }

    private static string[] Ids(JsonNode connection) => connection["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task Default_order_is_newest_send_first_with_unsent_campaigns_last()
    {
        var page = await CampaignsAsync("");
        Assert.Equal(["C2", "C5", "C1", "C4", "C3"], Ids(page));
        Assert.Equal(5, page["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Pages_forward_with_first_and_after_and_back_with_last_and_before()
    {
        var first = await CampaignsAsync("(first: 2)");
        var second = await CampaignsAsync($"(first: 2, after: \"{first["pageInfo"]!["endCursor"]}\")");
        var third = await CampaignsAsync($"(first: 2, after: \"{second["pageInfo"]!["endCursor"]}\")");
        var back = await CampaignsAsync($"(last: 2, before: \"{third["pageInfo"]!["startCursor"]}\")");

        Assert.Equal(["C2", "C5"], Ids(first));
        Assert.Equal(["C1", "C4"], Ids(second));
        Assert.Equal(["C3"], Ids(third));
        Assert.Equal(Ids(second), Ids(back));
        Assert.True(first["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.False(first["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
        Assert.False(third["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.True(third["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
        Assert.Equal(5, third["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Edges_carry_the_cursors_of_their_nodes()
    {
        var page = await CampaignsAsync("(first: 2)", "edges { cursor node { id } }");
        var edges = page["edges"]!.AsArray();
        Assert.Equal(page["pageInfo"]!["startCursor"]!.GetValue<string>(), edges[0]!["cursor"]!.GetValue<string>());
        Assert.Equal(page["pageInfo"]!["endCursor"]!.GetValue<string>(), edges[1]!["cursor"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("(where: { name: { contains: \"sale\" } })", new[] { "C1", "C4" })]          // case-insensitive, as marketers type
    [InlineData("(where: { name: { startsWith: \"S\" } })", new[] { "C2", "C5", "C1" })]
    [InlineData("(where: { status: { eq: \"Draft\" } })", new[] { "C3" })]
    [InlineData("(where: { status: { neq: \"Sent\" } })", new[] { "C3" })]
    [InlineData("(where: { channel: { in: [\"sms\"] } })", new[] { "C5" })]
    [InlineData("(where: { id: { nin: [\"C1\", \"C2\"] } })", new[] { "C5", "C4", "C3" })]
    [InlineData("(where: { sendTime: { gte: \"2026-03-01T00:00:00Z\", lt: \"2026-03-05T00:00:00Z\" } })", new[] { "C5", "C1" })]
    [InlineData("(where: { sendTime: { eq: null } })", new[] { "C3" })]
    [InlineData("(where: { openRate: { gte: 0.4 } })", new[] { "C1", "C4" })]
    [InlineData("(where: { delivered: { gt: 450 } })", new[] { "C2", "C1" })]
    [InlineData("(where: { or: [{ id: { eq: \"C3\" } }, { openRate: { gt: 0.49 } }] })", new[] { "C1", "C4", "C3" })]
    [InlineData("(where: { and: [{ channel: { eq: \"email\" } }, { status: { eq: \"Sent\" } }], name: { ncontains: \"Flash\" } })", new[] { "C2", "C1" })]
    [InlineData("(where: { name: { contains: \"%\" } })", new string[0])]                     // LIKE wildcards are escaped
    [InlineData("(where: { archived: { eq: false } })", new[] { "C2", "C5", "C1", "C4", "C3" })]
    public async Task Where_filters_in_SQL(string arguments, string[] expected)
    {
        var page = await CampaignsAsync(arguments);
        Assert.Equal(expected, Ids(page));
        Assert.Equal(expected.Length, page["totalCount"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("(order: [{ name: ASC }])", new[] { "C3", "C4", "C5", "C1", "C2" })]
    [InlineData("(order: [{ openRate: DESC }])", new[] { "C1", "C4", "C2", "C3", "C5" })] // C1 and C4 tie at 0.5; nulls sort as smallest
    [InlineData("(order: [{ channel: DESC }, { revenue: ASC }])", new[] { "C5", "C3", "C2", "C4", "C1" })]
    public async Task Order_sorts_in_SQL_with_the_id_as_tie_breaker(string arguments, string[] expected)
    {
        Assert.Equal(expected, Ids(await CampaignsAsync(arguments)));
    }

    [Fact]
    public async Task Rates_are_over_delivered_and_null_without_a_report()
    {
        var page = await CampaignsAsync("(order: [{ name: ASC }])", "nodes { id subject delivered openRate clickRate conversionRate revenuePerRecipient bounceRate unsubscribeRate revenue }");
        var c1 = page["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == "C1")!;
        var c3 = page["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == "C3")!;

        Assert.Equal("Spring is here", c1["subject"]!.GetValue<string>());
        Assert.Equal(490.0 / 980, c1["openRate"]!.GetValue<double>(), 12);
        Assert.Equal(98.0 / 980, c1["clickRate"]!.GetValue<double>(), 12);
        Assert.Equal(49.0 / 980, c1["conversionRate"]!.GetValue<double>(), 12);
        Assert.Equal(4900.0 / 980, c1["revenuePerRecipient"]!.GetValue<double>(), 12);
        Assert.Equal(20.0 / 980, c1["bounceRate"]!.GetValue<double>(), 12);
        Assert.Null(c3["delivered"]);
        Assert.Null(c3["openRate"]);
    }

    [Fact]
    public async Task LastUpdated_is_the_older_of_campaigns_and_their_reports()
    {
        var page = await CampaignsAsync("(first: 1)");
        Assert.Equal(TestData.ReportsSyncedAt, page["lastUpdated"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal("LIVE", page["dataSource"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("(first: 0)", "INVALID_INPUT")]
    [InlineData("(first: 10000)", "INVALID_INPUT")]
    [InlineData("(last: 101)", "INVALID_INPUT")]
    [InlineData("(first: -1)", "INVALID_INPUT")]
    [InlineData("(first: 2, last: 2)", "INVALID_INPUT")]
    [InlineData("(after: \"forged\")", "INVALID_CURSOR")]
    [InlineData("(after: \"eDox\")", "INVALID_CURSOR")]                   // base64url of "x:1"
    [InlineData("(after: \"bzowMQ\")", "INVALID_CURSOR")]                 // "o:01": not how we encode 1
    [InlineData("(before: \"bzotMQ\")", "INVALID_CURSOR")]                // "o:-1"
    [InlineData("(after: \"\")", "INVALID_CURSOR")]
    [InlineData("(where: { and: [{ and: [{ and: [{ and: [{ and: [{ and: [{ and: [{ and: [{ and: [{ and: [{ id: { eq: \"C1\" } }] }] }] }] }] }] }] }] }] }] })", "INVALID_INPUT")]
    [InlineData("(where: { openRate: { gt: null } })", "INVALID_INPUT")]
    public async Task Bad_paging_and_filter_arguments_are_coded_errors(string arguments, string code)
    {
        Assert.Equal(code, await _client.ErrorCodeAsync($"{{ campaigns{arguments} {{ totalCount }} }}"));
    }

    [Fact]
    public async Task Unknown_filter_fields_are_rejected_by_validation()
    {
        Assert.Equal("ARGUMENTS_OF_CORRECT_TYPE", await _client.ErrorCodeAsync("{ campaigns(where: { secret: { eq: 1 } }) { totalCount } }"));
    }
}
