using System.Text.Json;

namespace Klaviyo.Bench;

/// <summary>The GraphQL bodies the benches send: what the dashboard asks for.</summary>
public static class DashboardQueries
{
    /// <summary>
    /// The dashboard's default view: the last 30 calendar days in the account's time zone, ending now
    /// (ragged first and last hours read from events), against the 30 days before; the deployment's own
    /// account, or <paramref name="accountId"/>.
    /// </summary>
    public static string Overview(string? accountId = null) => JsonSerializer.Serialize(new
    {
        query = "query($range: DateRangeInput!, $account: ID) { overview(accountId: $account, range: $range, compareTo: PREVIOUS_PERIOD) { totalRevenue { value changePercent } orders { value changePercent } activeSubscribers { value changePercent } formSubmissions { value changePercent } openRate { value changePercent } clickRate { value changePercent } conversionRate { value changePercent } revenuePerRecipient { value changePercent } revenueSeries { start end campaign flow form other total } previousRevenueSeries { start total } timezone lastUpdated dataSource } }",
        variables = new { range = new { preset = "LAST_30_DAYS" }, account = accountId },
    });

    /// <summary>The portfolio page's query: every account in one table.</summary>
    public static string Portfolio { get; } = JsonSerializer.Serialize(new
    {
        query = "{ portfolio(range: { preset: LAST_30_DAYS }) { rows { account { id } name currency revenue { value changePercent } orders { value changePercent } conversionRate { value changePercent } lastUpdated dataSource health problem firingAlerts } totals { currency accounts revenue { value } orders { value } } } }",
    });
}
