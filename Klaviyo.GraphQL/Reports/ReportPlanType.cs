using GraphQL.Types;
using Klaviyo.Core.Reports;
using Klaviyo.GraphQL.Metrics;
using Klaviyo.GraphQL.Sync;

namespace Klaviyo.GraphQL.Reports;

public sealed class ReportPlanType : ObjectGraphType<ReportPlanSnapshot>
{
    public ReportPlanType()
    {
        Name = "ReportPlan";
        Description = "How the Reporting API's daily budget is spent: campaign and flow reports once per conversion metric, forms once, every interval.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MetricType>>>>("metrics").Description("Conversion metrics fetched: Placed Order, then the ones asked for lately.").Resolve(c => c.Source.Metrics);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReportEntityPlanType>>>>("entities").Resolve(c => c.Source.Entities);
        Field(p => p.DailyCalls).Description("Calls a day the plan spends at these intervals.");
        Field(p => p.DailyBudget).Description("Calls Klaviyo allows a day (UTC).");
        Field(p => p.SpentToday).Description("Calls spent today, retries included.");
        Field(p => p.RenewsAt).Description("When the budget renews (00:00 UTC).");
        Field(p => p.Exhausted).Description("True when today's budget is spent: reports wait for renewsAt.");
    }
}

public sealed class ReportEntityPlanType : ObjectGraphType<ReportEntityPlan>
{
    public ReportEntityPlanType()
    {
        Name = "ReportEntityPlan";
        Field<NonNullGraphType<SyncEntityType>>("entity").Resolve(c => c.Source.Entity);
        Field(p => p.CallsPerRun).Description("Reports a run asks for: one per metric (forms: one) times their pages.");
        Field<NonNullGraphType<FloatGraphType>>("intervalMinutes").Description("Minutes between runs, stretched beyond the configured interval when the day's calls would exceed the budget.")
            .Resolve(c => Math.Round(c.Source.Interval.TotalMinutes, 1));
    }
}
