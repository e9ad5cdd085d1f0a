using GraphQL.Types;
using Klaviyo.Core.Portfolio;
using Klaviyo.GraphQL.Accounts;
using Klaviyo.GraphQL.Freshness;
using Klaviyo.GraphQL.Overview;
using Klaviyo.GraphQL.TimeRanges;

namespace Klaviyo.GraphQL.Portfolio;

public sealed class AccountHealthType : EnumerationGraphType<AccountHealth>
{
    public AccountHealthType()
    {
        Name = "AccountHealth";
        Description = "An account's sync at a glance.";
        Values["ACCESS_REVOKED"]!.Description = "Klaviyo refuses its key: access was revoked or the key lost its scopes (the key-refused alert fires).";
        Values["FAILING"]!.Description = "An entity's latest sync failed.";
        Values["LATE"]!.Description = "An entity has not been confirmed for more than twice its interval.";
        Values["NOT_RUNNING"]!.Description = "Its store could not be opened yet; retried.";
        Values["FIRST_SYNC"]!.Description = "Its first sync is under way.";
        Values["PAUSED"]!.Description = "Paused by an Admin: not synced, served as it was.";
        Values["HEALTHY"]!.Description = "Every entity confirmed on time.";
    }
}

public sealed class PortfolioRowType : ObjectGraphType<PortfolioRow>
{
    public PortfolioRowType()
    {
        Name = "PortfolioRow";
        Description = "One account's numbers for the window, read in its own time zone and currency, as its dashboard shows them.";
        Field<NonNullGraphType<ConnectedAccountType>>("account").Resolve(c => c.Source.Account);
        Field<NonNullGraphType<StringGraphType>>("name").Description("As Klaviyo names the account (synced), else as it was added.")
            .Resolve(c => c.Source.Info.Synced ? c.Source.Info.Name : c.Source.Account.Name);
        Field<StringGraphType>("timezone").Description("Its IANA time zone; null until its first sync.").Resolve(c => c.Source.Info.Synced ? c.Source.Info.Timezone : null);
        Field<StringGraphType>("currency").Description("ISO 4217 code of its money values; null until its first sync.").Resolve(c => c.Source.Info.Synced ? c.Source.Info.Currency : null);
        Field<DateRangeType>("range").Description("The window as its calendar reads it; null when its numbers could not be read.").Resolve(c => c.Source.Range);
        Field<NonNullGraphType<KpiType>>("revenue").Description("Placed Order value in the window, in the account's currency.").Resolve(c => c.Source.Revenue);
        Field<NonNullGraphType<KpiType>>("orders").Description("Placed Order events in the window.").Resolve(c => c.Source.Orders);
        Field<NonNullGraphType<KpiType>>("conversionRate").Description("Unique conversions ÷ delivered over campaigns sent in the window (a ratio, 0–1).").Resolve(c => c.Source.ConversionRate);
        Field<DateTimeGraphType>("lastUpdated").Description("When its numbers were last confirmed against Klaviyo; null until its first sync.").Resolve(c => c.Source.LastUpdated);
        Field<NonNullGraphType<DataSourceType>>("dataSource").Resolve(c => c.Source.DataSource);
        Field<NonNullGraphType<AccountHealthType>>("health").Resolve(c => c.Source.Health);
        Field<StringGraphType>("problem").Description("Why the account is not HEALTHY, in words a marketer can act on.").Resolve(c => c.Source.Problem);
        Field<NonNullGraphType<IntGraphType>>("firingAlerts").Description("Its alerts firing now (monitors and diagnostics).").Resolve(c => c.Source.FiringAlerts);
    }
}

public sealed class CurrencyTotalType : ObjectGraphType<CurrencyTotal>
{
    public CurrencyTotalType()
    {
        Name = "CurrencyTotal";
        Description = "The accounts of one currency added up; a value is null while one of them is not known yet.";
        Field(t => t.Currency);
        Field(t => t.Accounts).Description("How many accounts are in this total.");
        Field<NonNullGraphType<KpiType>>("revenue").Resolve(c => c.Source.Revenue);
        Field<NonNullGraphType<KpiType>>("orders").Resolve(c => c.Source.Orders);
    }
}

public sealed class ExchangeRateType : ObjectGraphType<ExchangeRate>
{
    public ExchangeRateType()
    {
        Name = "ExchangeRate";
        Description = "A rate an Admin configured (Portfolio:ExchangeRates): one unit of `from` is `rate` units of the reporting currency.";
        Field(r => r.From);
        Field(r => r.Rate);
    }
}

public sealed class ConvertedTotalType : ObjectGraphType<ConvertedTotal>
{
    public ConvertedTotalType()
    {
        Name = "ConvertedTotal";
        Description = "Every account's revenue in one currency, converted only with the rates an Admin configured, which `rates` lists.";
        Field(t => t.Currency);
        Field<NonNullGraphType<KpiType>>("revenue").Resolve(c => c.Source.Revenue);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ExchangeRateType>>>>("rates").Resolve(c => c.Source.Rates);
    }
}

public sealed class PortfolioPayloadType : ObjectGraphType<PortfolioResult>
{
    public PortfolioPayloadType()
    {
        Name = "PortfolioPayload";
        Description = "Every connected account side by side, each in its own currency and calendar, with totals per currency.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PortfolioRowType>>>>("rows").Description("The deployment's own account first.").Resolve(c => c.Source.Rows);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CurrencyTotalType>>>>("totals").Description("One per currency; no exchange rate is invented.").Resolve(c => c.Source.Totals);
        Field<ConvertedTotalType>("converted").Description("One total in Portfolio:ReportingCurrency; null unless an Admin configured a rate for every currency here.").Resolve(c => c.Source.Converted);
    }
}
