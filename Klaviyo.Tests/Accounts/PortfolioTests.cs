using System.Text.Json.Nodes;
using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Sandbox;
using Klaviyo.Testing;

namespace Klaviyo.Tests.Accounts;

/// <summary>The portfolio: every account in its own currency and calendar, totals per currency, converted only with configured rates.</summary>
public sealed class PortfolioTests : LondonAccountTests
{
    private const string Query = """
        { portfolio(range: { preset: LAST_30_DAYS }) {
            rows { account { id } name currency timezone range { start } revenue { value previousValue lastUpdated } orders { value previousValue } conversionRate { value previousValue } health problem firingAlerts dataSource lastUpdated }
            totals { currency accounts revenue { value previousValue } orders { value } }
            converted { currency revenue { value } rates { from rate } } } }
        """;

    private static readonly SyncEntity[] Numbers = [SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Events];

    private async Task<JsonNode> PortfolioAsync() => (await App.GraphQL().QueryAsync(Query))["portfolio"]!;

    private static JsonNode Row(JsonNode portfolio, string id) => portfolio["rows"]!.AsArray().Single(r => r!["account"]!["id"]!.GetValue<string>() == id)!;

    private async Task<JsonNode> OverviewAsync(string? accountId)
    {
        var argument = accountId is null ? "" : $"accountId: \"{accountId}\", ";
        return (await App.GraphQL().QueryAsync($"{{ overview({argument}range: {{ preset: LAST_30_DAYS }}) {{ totalRevenue {{ value previousValue }} orders {{ value previousValue }} conversionRate {{ value previousValue }} }} }}"))["overview"]!;
    }

    /// <summary>
    /// The row's numbers are the dashboard's: orders exactly; revenue and rates to within float
    /// rounding (the row adds the same rollups in other groupings, which moves the 15th digit).
    /// </summary>
    private async Task AssertDashboardNumbersAsync(string? accountId, JsonNode row)
    {
        var overview = await OverviewAsync(accountId);
        Assert.Equal(overview["orders"]!.ToJsonString(), row["orders"]!.ToJsonString());
        foreach (var (kpi, field) in new[] { ("totalRevenue", "revenue"), ("conversionRate", "conversionRate") })
            foreach (var part in new[] { "value", "previousValue" })
            {
                var (expected, actual) = (overview[kpi]![part]?.GetValue<double>(), row[field]![part]?.GetValue<double>());
                Assert.Equal(expected is null, actual is null);
                if (expected is { } e)
                    Assert.Equal(e, actual!.Value, 1e-9 * Math.Max(1, Math.Abs(e)));
            }
    }

    [Fact]
    public async Task A_range_after_today_is_the_requests_error_not_every_accounts_problem()
    {
        await AddLondonAsync();

        var code = await App.GraphQL().ErrorCodeAsync("{ portfolio(range: { from: \"2090-01-01\", to: \"2090-01-02\" }) { rows { health problem } } }");

        Assert.Equal("INVALID_INPUT", code);
    }

    [Fact]
    public async Task Each_account_is_a_row_in_its_own_currency_with_the_numbers_its_dashboard_shows()
    {
        var london = await AddLondonAsync();
        await App.SyncAsync([.. Numbers, SyncEntity.Campaigns, SyncEntity.CampaignReports]);
        await SyncAsync(london, Numbers);

        var portfolio = await PortfolioAsync();

        var (own, theirs) = (Row(portfolio, "default"), Row(portfolio, london));
        Assert.Equal(("USD", "America/New_York"), (own["currency"]!.GetValue<string>(), own["timezone"]!.GetValue<string>()));
        Assert.Equal(("GBP", "Europe/London"), (theirs["currency"]!.GetValue<string>(), theirs["timezone"]!.GetValue<string>()));
        await AssertDashboardNumbersAsync(null, own);
        await AssertDashboardNumbersAsync(london, theirs);
        Assert.NotNull(own["conversionRate"]!["value"]);
        Assert.Null(theirs["conversionRate"]!["value"]); // its campaign reports have not synced
        // LAST_30_DAYS starts at each account's own midnight: five hours apart in December.
        Assert.NotEqual(own["range"]!["start"]!.GetValue<string>(), theirs["range"]!["start"]!.GetValue<string>());
        Assert.NotNull(theirs["revenue"]!["lastUpdated"]);
    }

    [Fact]
    public async Task Totals_are_per_currency_and_never_mix_currencies_without_a_configured_rate()
    {
        var london = await AddLondonAsync();
        await App.SyncAsync(Numbers);
        await SyncAsync(london, Numbers);

        var portfolio = await PortfolioAsync();

        var totals = portfolio["totals"]!.AsArray();
        Assert.Equal(["GBP", "USD"], totals.Select(t => t!["currency"]!.GetValue<string>()));
        Assert.All(totals, t => Assert.Equal(1, t!["accounts"]!.GetValue<int>()));
        Assert.Equal(Row(portfolio, london)["revenue"]!["value"]!.GetValue<double>(), totals[0]!["revenue"]!["value"]!.GetValue<double>());
        Assert.Null(portfolio["converted"]);
    }

    [Fact]
    public async Task With_an_Admins_rate_for_every_currency_one_converted_total_names_its_rates()
    {
        App.With("Portfolio:ReportingCurrency", "USD").With("Portfolio:ExchangeRates:GBP", "1.25");
        var london = await AddLondonAsync();
        await App.SyncAsync(Numbers);
        await SyncAsync(london, Numbers);

        var portfolio = await PortfolioAsync();

        var expected = Row(portfolio, "default")["revenue"]!["value"]!.GetValue<double>() + Row(portfolio, london)["revenue"]!["value"]!.GetValue<double>() * 1.25;
        var converted = portfolio["converted"]!;
        Assert.Equal("USD", converted["currency"]!.GetValue<string>());
        Assert.Equal(expected, converted["revenue"]!["value"]!.GetValue<double>(), 6);
        var rate = Assert.Single(converted["rates"]!.AsArray());
        Assert.Equal(("GBP", 1.25m), (rate!["from"]!.GetValue<string>(), rate["rate"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task An_account_not_synced_yet_shows_no_number_and_says_its_first_sync_is_under_way()
    {
        var london = await AddLondonAsync();
        await App.SyncAsync(Numbers);

        var theirs = Row(await PortfolioAsync(), london);

        Assert.Null(theirs["revenue"]!["value"]);
        Assert.Null(theirs["currency"]);
        Assert.Equal("FIRST_SYNC", theirs["health"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_revoked_key_shows_on_its_row_and_fires_its_alert_and_leaves_the_other_account_fresh()
    {
        var london = await AddLondonAsync();
        await App.SyncAsync(Numbers);
        await SyncAsync(london, Numbers);

        SetLondonFaults(new SandboxFaults { InvalidKey = true });
        Assert.Equal(SyncRunOutcome.Failed, await TrySyncAsync(london, SyncEntity.Events));
        await App.SyncAsync(SyncEntity.Events);

        var portfolio = await PortfolioAsync();
        var (own, theirs) = (Row(portfolio, "default"), Row(portfolio, london));
        Assert.Equal("ACCESS_REVOKED", theirs["health"]!.GetValue<string>());
        Assert.Contains("new key", theirs["problem"]!.GetValue<string>());
        Assert.NotEqual("ACCESS_REVOKED", own["health"]!.GetValue<string>());
        Assert.Equal("LIVE", own["dataSource"]!.GetValue<string>());
        var ownErrors = await App.GraphQL().QueryAsync("{ diagnostics { errors { code } } }");
        Assert.Empty(ownErrors["diagnostics"]!["errors"]!.AsArray());

        var changes = await App.GraphQL().QueryAsync($"mutation {{ evaluateAlerts(accountId: \"{london}\") {{ ruleName to }} }}");
        Assert.Contains(changes["evaluateAlerts"]!.AsArray(), c => c!["ruleName"]!.GetValue<string>() == "Klaviyo refuses the key" && c["to"]!.GetValue<string>() == "FIRING");
        Assert.True(Row(await PortfolioAsync(), london)["firingAlerts"]!.GetValue<int>() >= 1);
    }

    [Fact]
    public async Task One_accounts_429_storm_is_its_own_and_does_not_hold_up_the_others_sync()
    {
        var london = await AddLondonAsync();
        await SyncAsync(london, Numbers);
        SetLondonFaults(new SandboxFaults { ForceThrottle = true, ThrottleRetryAfterSeconds = 120 });
        Assert.NotEqual(SyncRunOutcome.Succeeded, await TrySyncAsync(london, SyncEntity.Events));

        // Klaviyo's limits are per account: London's Retry-After of two minutes must not pace the deployment's own requests.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var own = await App.SyncAsync(Numbers);

        Assert.Equal(SyncRunOutcome.Succeeded, own.Outcome);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"the deployment's sync took {clock.Elapsed}: it waited on London's Retry-After");
        var errors = await App.GraphQL().QueryAsync($"{{ own: diagnostics {{ errors {{ code }} }} london: diagnostics(accountId: \"{london}\") {{ errors {{ code }} }} }}");
        Assert.Empty(errors["own"]!["errors"]!.AsArray());
        Assert.Contains(errors["london"]!["errors"]!.AsArray(), e => e!["code"]!.GetValue<string>() == "KLAVIYO_RATE_LIMITED");
        Assert.Equal("LIVE", (await App.GraphQL().QueryAsync("{ overview(range: { preset: LAST_7_DAYS }) { dataSource } }"))["overview"]!["dataSource"]!.GetValue<string>());
    }
}
