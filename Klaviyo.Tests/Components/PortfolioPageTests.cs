using System.Text.Json;
using Bunit;
using Klaviyo.Web.Client;
using Klaviyo.Web.Components.Pages;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Components;

/// <summary>The portfolio page: a row per account in its own currency, totals per currency, health in words, and each account's pushes re-read it.</summary>
public sealed class PortfolioPageTests : DashboardTestContext
{
    private static string Account(string id, string name, bool isDefault) =>
        $$"""{ "id": "{{id}}", "name": "{{name}}", "klaviyoId": null, "isDefault": {{(isDefault ? "true" : "false")}}, "paused": false, "sandbox": true, "timezone": null, "currency": null, "addedAt": "2026-12-01T00:00:00Z" }""";

    private static string Kpi(double? value, double? change) =>
        $$"""{ "value": {{(value is null ? "null" : value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}}, "previousValue": null, "changePercent": {{(change is null ? "null" : change.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}}, "lastUpdated": "2026-12-06T10:00:00Z", "previousLastUpdated": null }""";

    private static string Row(string id, string name, bool isDefault, string currency, double revenue, string health, string? problem, int firing) => $$"""
        { "account": {{Account(id, name, isDefault)}}, "name": "{{name}}", "timezone": "Europe/London", "currency": "{{currency}}",
          "revenue": {{Kpi(revenue, 12.5)}}, "orders": {{Kpi(100, -3)}}, "conversionRate": {{Kpi(0.02, null)}},
          "lastUpdated": "2026-12-06T10:00:00Z", "dataSource": "LIVE", "health": "{{health}}", "problem": {{(problem is null ? "null" : $"\"{problem}\"")}}, "firingAlerts": {{firing}} }
        """;

    private static string Portfolio(double londonRevenue) => $$"""
        { "portfolio": {
            "rows": [ {{Row("default", "Store US", true, "USD", 1000, "HEALTHY", null, 0)}}, {{Row("london", "London", false, "GBP", londonRevenue, "ACCESS_REVOKED", "Klaviyo refuses this account's key", 1)}} ],
            "totals": [ { "currency": "GBP", "accounts": 1, "revenue": {{Kpi(londonRevenue, 12.5)}}, "orders": {{Kpi(100, -3)}} },
                        { "currency": "USD", "accounts": 1, "revenue": {{Kpi(1000, 12.5)}}, "orders": {{Kpi(100, -3)}} } ],
            "converted": null } }
        """;

    [Fact]
    public void Each_account_is_a_row_in_its_own_currency_with_its_health_in_words()
    {
        Answer("Portfolio", Portfolio(londonRevenue: 2500));

        var cut = Render<Portfolio>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=portfolio-account]").Count));
        var revenues = cut.FindAll("[data-testid=portfolio-revenue]").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["$1,000", "£2,500"], revenues);
        Assert.Equal("AccessRevoked", cut.FindAll("[data-testid=portfolio-health]")[1].GetAttribute("data-health"));
        Assert.Contains("access revoked", cut.FindAll("[data-testid=portfolio-health]")[1].TextContent);
        Assert.Equal(["GBP", "USD"], cut.FindAll("[data-testid=portfolio-total]").Select(t => t.GetAttribute("data-currency")));
        Assert.Contains("none is invented", cut.Find("[data-testid=portfolio-no-conversion]").TextContent);
    }

    [Fact]
    public async Task A_push_from_any_account_reads_the_portfolio_again()
    {
        Answer("Portfolio", Portfolio(londonRevenue: 2500));
        var cut = Render<Portfolio>();
        cut.WaitForAssertion(() => Assert.Equal("£2,500", cut.FindAll("[data-testid=portfolio-revenue]")[1].TextContent.Trim()));

        Answer("Portfolio", Portfolio(londonRevenue: 2600));
        await cut.InvokeAsync(() => Services.GetRequiredService<LiveUpdates>().Dispatch("DataChanged:london",
            JsonDocument.Parse("""{ "data": { "dataChanged": { "entities": ["EVENTS"], "lastUpdated": "2026-12-06T10:01:00Z", "runId": "r", "at": "2026-12-06T10:01:00Z", "records": 3 } } }""").RootElement));

        cut.WaitForAssertion(() => Assert.Equal("£2,600", cut.FindAll("[data-testid=portfolio-revenue]")[1].TextContent.Trim()));
    }

    [Fact]
    public void A_push_of_one_account_reaches_only_that_accounts_listeners()
    {
        var live = Services.GetRequiredService<LiveUpdates>();
        var (own, london) = (0, 0);
        live.For(null).DataChanged += _ => own++;
        live.For("london").DataChanged += _ => london++;

        live.Dispatch("DataChanged:london", JsonDocument.Parse("""{ "data": { "dataChanged": { "entities": ["EVENTS"], "lastUpdated": "2026-12-06T10:01:00Z", "runId": "r", "at": "2026-12-06T10:01:00Z", "records": 3 } } }""").RootElement);

        Assert.Equal((0, 1), (own, london));
    }
}
