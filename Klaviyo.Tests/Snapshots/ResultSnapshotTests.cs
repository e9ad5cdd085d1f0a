using Klaviyo.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Snapshooter;
using Snapshooter.Xunit;

namespace Klaviyo.Tests.Snapshots;

/// <summary>Whole results over <see cref="TestData"/>: a change in shape or number shows up as a diff to review.</summary>
public sealed class ResultSnapshotTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    // Snapshooter finds the test's name on the stack, so each test takes it before its first await.
    private async Task MatchAsync(SnapshotFullName name, string query, object? variables = null)
    {
        var response = await factory.GraphQL().PostAsync(query, variables);
        Snapshot.Match(JToken.Parse(response.Body), name);
    }

    [Fact]
    public Task Campaigns_first_page() => MatchAsync(Snapshot.FullName(), """
        { campaigns(first: 3) {
            nodes { id name status channel sendTime subject recipients delivered opensUnique clicksUnique conversionUniques revenue openRate clickRate conversionRate revenuePerRecipient }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount lastUpdated dataSource } }
        """);

    [Fact]
    public Task Flows_by_revenue() => MatchAsync(Snapshot.FullName(), """
        { flows(order: [{ revenue: DESC }]) { nodes { id name status triggerType delivered openRate clickRate revenue } totalCount lastUpdated dataSource } }
        """);

    [Fact]
    public Task Segments_lists_and_forms() => MatchAsync(Snapshot.FullName(), """
        { segments { nodes { id name profileCount isActive } lastUpdated }
          lists { nodes { id name profileCount optInProcess } lastUpdated }
          forms { nodes { id name status views submissions submitRate } lastUpdated } }
        """);

    [Fact]
    public Task Overview_of_a_week() => MatchAsync(Snapshot.FullName(), """
        query($range: DateRangeInput!) { overview(range: $range) {
            range { start end } previousRange { start end }
            totalRevenue { value previousValue changePercent } orders { value previousValue changePercent }
            activeSubscribers { value previousValue changePercent } formSubmissions { value previousValue changePercent }
            openRate { value previousValue changePercent } clickRate { value previousValue changePercent }
            conversionRate { value previousValue changePercent } revenuePerRecipient { value previousValue changePercent }
            seriesInterval revenueSeries { start campaign flow form other total } lastUpdated dataSource } }
        """, new { range = new { start = TestData.Utc(3, 1), end = TestData.Utc(3, 8) } });

    [Fact]
    public Task A_document_error() => MatchAsync(Snapshot.FullName(), "{ campaigns(first: 0) { totalCount } nope }");
}
