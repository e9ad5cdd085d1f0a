using Bunit;
using Klaviyo.Web.Components.Dashboard.Alerts;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Components;

/// <summary>The bell counts what fires and reads again when alerts change.</summary>
public sealed class AlertBellTests : DashboardTestContext
{
    private static string Alerts(int firing) => $$"""
        { "alerts": [{{string.Join(",", Enumerable.Range(0, firing).Select(i =>
            $$"""{ "ruleId": "r{{i}}", "key": "", "subject": "", "state": "FIRING", "stateSince": "2026-12-05T10:00:00Z", "value": 1, "expected": 50, "message": "Placed Order: 1 against 50 expected" }"""))}},
          { "ruleId": "p", "key": "", "subject": "", "state": "PENDING", "stateSince": "2026-12-05T10:00:00Z", "value": null, "expected": null, "message": null }],
          "alertRules": [{ "id": "r0", "name": "Placed Order dropped", "version": 1, "enabled": true, "builtIn": "monitor:placed-order-drop", "lastEvaluatedAt": null, "lastError": null,
            "definition": { "kind": "ANOMALY", "subject": "METRIC", "check": null }, "labels": [] }],
          "alertLog": [], "alertSilences": [] }
        """;

    [Fact]
    public async Task It_counts_firing_alerts_only_and_updates_when_alerts_change()
    {
        Answer("AlertsOverview", Alerts(firing: 1));
        var cut = Render<AlertBell>();
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=alert-bell]").GetAttribute("data-firing")));

        Answer("AlertsOverview", Alerts(firing: 3));
        await cut.InvokeAsync(() => Services.GetRequiredService<Klaviyo.Web.Client.LiveUpdates>().Dispatch("AlertsChanged",
            System.Text.Json.JsonDocument.Parse("""{ "data": { "alertsChanged": { "firing": 3, "at": "2026-12-05T10:01:00Z", "changes": [] } } }""").RootElement));
        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-testid=alert-bell]").GetAttribute("data-firing")));
    }
}
