using Bunit;
using Klaviyo.Web.Client;
using Klaviyo.Web.Components.Pages;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Components;

/// <summary>What the page does when its push channel comes back: pushes were missed, so errors and data are read again.</summary>
public sealed class ReconnectTests : DashboardTestContext
{
    private static string ServerState(bool failing) => $$"""
        { "account": { "timezone": "America/New_York", "currency": "USD" },
          "diagnostics": { "klaviyo": { "mode": "SANDBOX" }, "errors": [{{(failing
            ? """{ "source": "KLAVIYO", "code": "KLAVIYO_UNAVAILABLE", "message": "Klaviyo is not answering.", "detail": null, "entity": "EVENTS", "since": "2026-11-26T10:00:00Z", "lastSeen": "2026-11-26T10:00:00Z", "occurrences": 3 }"""
            : "")}}] } }
        """;

    [Fact]
    public async Task After_a_reconnect_the_page_rereads_the_servers_errors_and_refetches_its_sections()
    {
        Answer("ServerState", ServerState(failing: true));
        Answer("ConversionMetrics", """{ "conversionMetrics": { "nodes": [], "lastUpdated": null, "dataSource": "LIVE" } }""");
        Answer("Overview", SampleData.Overview(revenue: 100));
        Answer("Campaigns", SampleData.Campaigns(total: 0, from: 0, count: 0, hasNext: false, hasPrevious: false));
        Answer("SyncStatus", SampleData.SyncStatus());
        Answer("Diagnostics", SampleData.Diagnostics);
        var state = Services.GetRequiredService<ApiState>();
        var cut = Render<Home>();
        cut.WaitForAssertion(() => Assert.Equal("KLAVIYO_UNAVAILABLE", Assert.Single(state.Errors).Code));
        cut.WaitForAssertion(() => Assert.Equal(1, RequestsFor("Overview")));

        // While the socket was down the error was resolved (its push was missed) and an order arrived.
        Answer("ServerState", ServerState(failing: false));
        Answer("Overview", SampleData.Overview(revenue: 180));
        await cut.InvokeAsync(() => Services.GetRequiredService<LiveUpdates>().RaiseReconnected());

        cut.WaitForAssertion(() => Assert.Empty(state.Errors));
        cut.WaitForAssertion(() => Assert.Equal("$180", cut.Find("[data-kpi=totalRevenue] [data-testid=kpi-value]").TextContent.Trim()));
        Assert.False(Requests.Last(r => r.Operation == "Overview").Variables.TryGetProperty("forceFresh", out _));
    }
}
