using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Overview;
using Klaviyo.Core.TimeRanges;
using Klaviyo.GraphQL.Accounts;
using Klaviyo.GraphQL.Schema;
using Klaviyo.GraphQL.TimeRanges;

namespace Klaviyo.GraphQL.Overview;

public sealed class OverviewQueries : IQueryFields
{
    public void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<OverviewPayloadType>>("overview")
            .Description("KPI cards with % change against a comparison window, and revenue over time by attribution, in the account's time zone.")
            .Argument<NonNullGraphType<DateRangeInputType>>("range", "The window to report on.")
            .Argument<CompareToType>("compareTo", "What % change compares with.", a => a.DefaultValue = CompareTo.PreviousPeriod)
            .Argument<SeriesIntervalType>("seriesInterval", "The revenue series' bucket width; by default hours up to 2 days, days up to 92, weeks up to a year, then months.")
            .Argument<IdGraphType>("conversionMetricId", "The metric revenue and orders are read from (see conversionMetrics); Placed Order by default.")
            .Argument<Channels.ChannelType>("channel", "Only campaigns of this channel in the email KPIs (open, click and conversion rates, revenue per recipient).")
            .Argument<BooleanGraphType>("forceFresh", "Bypass any cached copy.", a => a.DefaultValue = false)
            .ResolveAsync(async ctx => await ctx.AccountServices().GetRequiredService<OverviewReader>().ReadAsync(
                ctx.GetArgument<RangeRequest>("range"), ctx.GetArgument("compareTo", CompareTo.PreviousPeriod),
                ctx.GetArgument<SeriesInterval?>("seriesInterval"), ctx.GetArgument<string?>("conversionMetricId"),
                ctx.GetArgument<Core.Channels.Channel?>("channel"), ctx.ForceFresh(), ctx.CancellationToken));
}
