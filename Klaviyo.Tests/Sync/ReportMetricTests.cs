using Klaviyo.Core.Data;
using Klaviyo.Sandbox;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Sync;

/// <summary>
/// Campaign and flow statistics per conversion metric and per channel, compared with a recomputation
/// from the sandbox's raw events (its reports cover the whole history: 365 days).
/// </summary>
public sealed class ReportMetricTests(ReportMetricTests.Factory factory) : IClassFixture<ReportMetricTests.Factory>, IAsyncLifetime
{
    public sealed class Factory : SandboxApiFactory;

    public Task InitializeAsync() => factory.SyncEverythingOnceAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private SandboxMetric Metric(string name) => factory.Account.Metrics.Single(m => m.Name == name);

    private List<SandboxEvent> Events() => [.. factory.Account.EventsHappenedBetween(factory.Account.Start.AddDays(-1), factory.Clock.GetUtcNow().UtcDateTime.AddDays(2), factory.Clock.GetUtcNow().UtcDateTime)];

    private const string Campaigns = """
        query($metric: ID, $channel: Channel) { campaigns(first: 100, conversionMetricId: $metric, channel: $channel) {
          conversionMetric { id name } channel statisticsNote nodes { id channel delivered revenue conversionRate openRate } } }
        """;

    [Fact]
    public async Task Campaign_and_flow_statistics_follow_the_conversion_metric_and_never_borrow_another()
    {
        var checkout = Metric("Started Checkout");
        var placed = Metric("Placed Order");

        // Asked for before its reports exist: null statistics, labelled, and the metric joins the report plan.
        var waiting = (await factory.GraphQL().QueryAsync(Campaigns, new { metric = checkout.Id, channel = (string?)null }))["campaigns"]!;
        Assert.Equal(checkout.Id, waiting["conversionMetric"]!["id"]!.GetValue<string>());
        Assert.Contains("have not arrived yet", waiting["statisticsNote"]!.GetValue<string>());
        Assert.All(waiting["nodes"]!.AsArray(), n => Assert.Null(n!["revenue"]));
        var plan = (await factory.GraphQL().QueryAsync("{ diagnostics { reportPlan { metrics { id } entities { entity callsPerRun intervalMinutes } dailyCalls dailyBudget } } }"))["diagnostics"]!["reportPlan"]!;
        Assert.Equal([placed.Id, checkout.Id], plan["metrics"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal(2, plan["entities"]!.AsArray().Single(e => e!["entity"]!.GetValue<string>() == "CAMPAIGN_REPORTS")!["callsPerRun"]!.GetValue<int>());
        Assert.True(plan["dailyCalls"]!.GetValue<int>() <= plan["dailyBudget"]!.GetValue<int>(), plan.ToJsonString());

        Assert.Equal(SyncRunOutcome.Succeeded, (await factory.SyncAsync(SyncEntity.CampaignReports, SyncEntity.FlowReports)).Outcome);

        var events = Events();
        var byCheckout = (await factory.GraphQL().QueryAsync(Campaigns, new { metric = checkout.Id, channel = (string?)null }))["campaigns"]!;
        var byPlaced = (await factory.GraphQL().QueryAsync(Campaigns, new { metric = (string?)null, channel = (string?)null }))["campaigns"]!;
        Assert.Null(byCheckout["statisticsNote"]);
        Assert.Equal(placed.Id, byPlaced["conversionMetric"]!["id"]!.GetValue<string>());
        var withRevenue = 0;
        foreach (var row in byCheckout["nodes"]!.AsArray())
        {
            var id = row!["id"]!.GetValue<string>();
            var expected = Math.Round(events.Where(e => e.CampaignId == id && e.MetricId == checkout.Id).Sum(e => e.Value), 2);
            var placedExpected = Math.Round(events.Where(e => e.CampaignId == id && e.MetricId == placed.Id).Sum(e => e.Value), 2);
            if (row["revenue"] is null)
            {
                Assert.Equal(0, expected); // a campaign without any event in the report has no row
                continue;
            }
            Assert.Equal(expected, row["revenue"]!.GetValue<double>(), 2);
            var other = byPlaced["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == id)!;
            Assert.Equal(placedExpected, other["revenue"]!.GetValue<double>(), 2);
            withRevenue += expected > 0 ? 1 : 0;
        }
        Assert.True(withRevenue > 0, "some campaign converted on Started Checkout");

        const string flows = "query($metric: ID) { flows(first: 50, conversionMetricId: $metric) { statisticsNote nodes { id revenue } } }";
        foreach (var row in (await factory.GraphQL().QueryAsync(flows, new { metric = checkout.Id }))["flows"]!["nodes"]!.AsArray().Where(r => r!["revenue"] is not null))
        {
            var id = row!["id"]!.GetValue<string>();
            Assert.Equal(Math.Round(events.Where(e => e.FlowId == id && e.MetricId == checkout.Id).Sum(e => e.Value), 2), row["revenue"]!.GetValue<double>(), 1);
        }

        Assert.Equal("NOT_FOUND", await factory.GraphQL().ErrorCodeAsync(Campaigns, new { metric = "NOPE", channel = (string?)null }));
    }

    [Fact]
    public async Task Flows_split_by_channel_and_an_SMS_row_never_has_an_open_rate()
    {
        const string query = """
            query($channel: Channel) { flows(first: 50, channel: $channel) { channel nodes { id delivered opensUnique openRate clickRate } } }
            """;
        var received = new Dictionary<string, string> { ["EMAIL"] = Metric("Received Email").Id, ["SMS"] = Metric("Received SMS").Id };
        var events = Events();
        var all = (await factory.GraphQL().QueryAsync(query, new { channel = (string?)null }))["flows"]!["nodes"]!.AsArray();
        var sms = (await factory.GraphQL().QueryAsync(query, new { channel = "SMS" }))["flows"]!;
        var email = (await factory.GraphQL().QueryAsync(query, new { channel = "EMAIL" }))["flows"]!;

        Assert.Equal("SMS", sms["channel"]!.GetValue<string>());
        Assert.NotEmpty(sms["nodes"]!.AsArray());
        Assert.True(sms["nodes"]!.AsArray().Count < all.Count, "only flows that text are SMS rows");
        foreach (var (channel, page) in new[] { ("SMS", sms), ("EMAIL", email) })
            foreach (var row in page["nodes"]!.AsArray())
            {
                var id = row!["id"]!.GetValue<string>();
                Assert.Equal(events.Count(e => e.FlowId == id && e.MetricId == received[channel]), row["delivered"]!.GetValue<int>());
                if (channel == "SMS")
                {
                    Assert.Null(row["openRate"]);
                    Assert.Null(row["opensUnique"]);
                    Assert.NotNull(row["clickRate"]);
                }
            }
        // Every channel together adds up; the open rate is over email deliveries only.
        foreach (var row in all)
        {
            var id = row!["id"]!.GetValue<string>();
            Assert.Equal(events.Count(e => e.FlowId == id && received.ContainsValue(e.MetricId)), row["delivered"]!.GetValue<int>());
            var emailRow = email["nodes"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == id)!;
            Assert.Equal(emailRow["openRate"]!.GetValue<double>(), row["openRate"]!.GetValue<double>(), 9);
        }
    }

    [Fact]
    public async Task Campaign_tables_filter_by_channel_and_the_CSV_says_the_metric_and_channel()
    {
        var sms = (await factory.GraphQL().QueryAsync(Campaigns, new { metric = (string?)null, channel = "SMS" }))["campaigns"]!;
        Assert.All(sms["nodes"]!.AsArray(), n => Assert.Equal("sms", n!["channel"]!.GetValue<string>()));
        Assert.All(sms["nodes"]!.AsArray(), n => Assert.Null(n!["openRate"]));
        var all = (await factory.GraphQL().QueryAsync(Campaigns, new { metric = (string?)null, channel = (string?)null }))["campaigns"]!["nodes"]!.AsArray();
        Assert.Equal(all.Count(n => n!["channel"]!.GetValue<string>() == "sms"), sms["nodes"]!.AsArray().Count);

        var csv = await factory.CreateClient().GetStringAsync($"/export/campaigns.csv?channel=sms&conversionMetricId={Metric("Placed Order").Id}");
        Assert.Contains("Conversion metric,Placed Order (Shopify) " + Metric("Placed Order").Id, csv);
        Assert.Contains("Channel,SMS", csv);
    }
}
