using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Klaviyo.Sandbox;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Sandbox;

/// <summary>
/// Anomalies the sandbox plays on demand (revenue drop, a flow that stops, a bounce spike):
/// deterministic, never rewriting what was already served; and the daily one the living account
/// plays so that a newcomer sees a built-in monitor fire.
/// </summary>
public sealed class SandboxAnomalyTests
{
    private static async Task<JsonNode> PlayAsync(SandboxApiFactory factory, object anomaly)
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/sandbox/klaviyo/_control/anomalies", anomaly);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static SandboxApiFactory Factory(params (string Key, string Value)[] settings)
    {
        var factory = new SandboxApiFactory();
        foreach (var (key, value) in settings)
            factory.With(key, value);
        return factory;
    }

    private static List<SandboxEvent> Arrived(SandboxAccount account, DateTime from, DateTime to)
    {
        var (first, end) = (account.FirstEventArrivingAtOrAfter(from), account.FirstEventArrivingAtOrAfter(to));
        return [.. Enumerable.Range(0, (int)(end - first)).Select(k => account.Event(first + k))];
    }

    [Fact]
    public async Task A_revenue_drop_takes_its_share_of_orders_from_events_arriving_after_it_was_played_and_no_others()
    {
        using var factory = Factory(("Sandbox:LiveEventInterval", "00:00:01"));
        var account = factory.Account;
        var orderMetrics = account.Metrics.Where(m => m.Name is "Placed Order" or "Started Checkout").Select(m => m.Id).ToHashSet();
        var before = Arrived(account, account.LiveFrom - TimeSpan.FromHours(2), account.LiveFrom + TimeSpan.FromHours(2));

        var played = await PlayAsync(factory, new { kind = "revenue-drop", percent = 60, hours = 6 });
        Assert.Equal("RevenueDrop", played["kind"]!.GetValue<string>());
        var start = played["start"]!.GetValue<DateTime>().ToUniversalTime();
        factory.Clock.Advance(TimeSpan.FromHours(4));

        // Served before: unchanged. After: the same events, with 60 % of orders gone (deterministic: the same every run).
        var during = Arrived(account, start, start + TimeSpan.FromHours(3));
        Assert.Equal(before.Where(e => e.ArrivedAt < start).Select(e => e.MetricId), Arrived(account, account.LiveFrom - TimeSpan.FromHours(2), start).Select(e => e.MetricId));
        var orders = during.Count(e => orderMetrics.Contains(e.MetricId));
        factory.Service<SandboxAnomalies>().Clear();
        var undisturbed = Arrived(account, start, start + TimeSpan.FromHours(3)).Count(e => orderMetrics.Contains(e.MetricId));
        Assert.True(undisturbed > 500, $"{undisturbed} orders");
        Assert.InRange(orders / (double)undisturbed, 0.35, 0.45);
    }

    [Fact]
    public async Task A_flow_that_stops_sends_nothing_and_a_bounce_spike_shows_in_the_campaign_report()
    {
        using var factory = Factory(("Sandbox:LiveEventInterval", "00:00:01"), ("Sandbox:LiveCampaignInterval", "00:10:00"));
        var account = factory.Account;
        var flow = account.Flows.First(f => f.Status == "live").Id;
        var played = await PlayAsync(factory, new { kind = "flow-stops", hours = 2, flowId = flow });
        await PlayAsync(factory, new { kind = "bounce-spike", percent = 8, hours = 1 });
        var start = played["start"]!.GetValue<DateTime>().ToUniversalTime();
        factory.Clock.Advance(TimeSpan.FromHours(3));

        var events = Arrived(account, start, start + TimeSpan.FromHours(2)).Where(e => e.Datetime >= start && e.Datetime < start + TimeSpan.FromHours(2)).ToList();
        Assert.DoesNotContain(events, e => e.FlowId == flow);
        Assert.Contains(events, e => e.FlowId is not null);
        var spiked = account.CampaignsAt(factory.Clock.GetUtcNow().UtcDateTime).Where(c => c.SendTime >= start && c.SendTime < start + TimeSpan.FromHours(1)).ToList();
        Assert.NotEmpty(spiked);
        Assert.All(spiked, c => Assert.Equal(8, factory.Service<SandboxAnomalies>().BouncePercent(c, account)));

        Assert.Equal(HttpStatusCode.BadRequest, (await factory.CreateClient().PostAsJsonAsync("/sandbox/klaviyo/_control/anomalies", new { kind = "meteor", hours = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await factory.CreateClient().PostAsJsonAsync("/sandbox/klaviyo/_control/anomalies", new { kind = "revenue-drop", percent = 150, hours = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await factory.CreateClient().PostAsJsonAsync("/sandbox/klaviyo/_control/anomalies", new { kind = "flow-stops", hours = 1, flowId = "nope" })).StatusCode);
    }

    [Fact]
    public async Task The_daily_anomaly_of_the_living_account_fires_the_built_in_bounce_monitor()
    {
        using var factory = Factory(("Sandbox:HistoryDays", "12"), ("Sandbox:Campaigns", "5"), ("Sandbox:EventsPerDay", "2200"),
            ("Sandbox:DailyAnomaly", "true"), ("Alerts:Enabled", "true"));
        await factory.SyncEverythingOnceAsync();
        var client = factory.GraphQL();
        JsonNode? firing = null;
        await Wait.UntilAsync(async () =>
        {
            await client.QueryAsync("mutation { evaluateAlerts { to } }");
            var alerts = (await client.QueryAsync("{ alerts(states: [FIRING]) { ruleId subject value message } alertRules { id builtIn } }"));
            var rule = alerts["alertRules"]!.AsArray().Single(r => r!["builtIn"]?.GetValue<string>() == "monitor:campaign-bounce-rate")!["id"]!.GetValue<string>();
            firing = alerts["alerts"]!.AsArray().FirstOrDefault(a => a!["ruleId"]!.GetValue<string>() == rule);
            return firing is not null;
        }, TimeSpan.FromSeconds(60));
        // 4 % of recipients bounced: over the delivered, 4.17 %.
        Assert.InRange(firing!["value"]!.GetValue<double>(), 4.0, 4.3);
        var daily = factory.Account.CampaignsAt(factory.Clock.GetUtcNow().UtcDateTime).Single(factory.Account.IsDailyBounceCampaign);
        Assert.Equal(daily.Name, firing["subject"]!.GetValue<string>());
    }
}
