using Klaviyo.Core.Accounts;
using Klaviyo.Core.Data;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Overview;
using Klaviyo.Core.TimeRanges;

namespace Klaviyo.Core.Portfolio;

/// <summary>Every account the caller may see, side by side, each in its own currency and calendar.</summary>
/// <param name="Converted">One total in the reporting currency, only when an Admin configured a rate for every currency here.</param>
public sealed record PortfolioResult(IReadOnlyList<PortfolioRow> Rows, IReadOnlyList<CurrencyTotal> Totals, ConvertedTotal? Converted);

/// <summary>One account: its KPIs for the window read in its own time zone, its freshness, its sync health and its firing alerts.</summary>
/// <param name="Range">The window as this account's calendar reads it (null when its numbers could not be read).</param>
/// <param name="Problem">Why a number is missing or the account is unhealthy, in words a marketer can act on.</param>
public sealed record PortfolioRow(
    ConnectedAccount Account,
    AccountInfo Info,
    DateRange? Range,
    Kpi Revenue,
    Kpi Orders,
    Kpi ConversionRate,
    DateTime? LastUpdated,
    DataSource DataSource,
    AccountHealth Health,
    string? Problem,
    int FiringAlerts);

/// <summary>The accounts of one currency added up; a total is null when one of them is not known yet (never a partial sum passed off as the whole).</summary>
public sealed record CurrencyTotal(string Currency, int Accounts, Kpi Revenue, Kpi Orders);

/// <summary>Revenue of every account in one currency, converted with the rates an Admin configured (<c>Portfolio:ExchangeRates</c>), which it names.</summary>
public sealed record ConvertedTotal(string Currency, Kpi Revenue, IReadOnlyList<ExchangeRate> Rates);

/// <summary>One unit of <paramref name="From"/> is <paramref name="Rate"/> units of the reporting currency.</summary>
public sealed record ExchangeRate(string From, decimal Rate);

/// <summary>An account's sync at a glance, worst first.</summary>
public enum AccountHealth
{
    /// <summary>Klaviyo refuses its key: access was revoked or the key lost its scopes.</summary>
    AccessRevoked,
    /// <summary>An entity's latest sync failed (Klaviyo or the store).</summary>
    Failing,
    /// <summary>An entity has not been confirmed for more than twice its interval.</summary>
    Late,
    /// <summary>Its shell is not running (the store could not be opened); retried.</summary>
    NotRunning,
    /// <summary>Its first sync is under way: some entities have never synced.</summary>
    FirstSync,
    /// <summary>Paused by an Admin: not synced, its data served as it was.</summary>
    Paused,
    /// <summary>Every entity confirmed on time.</summary>
    Healthy,
}
