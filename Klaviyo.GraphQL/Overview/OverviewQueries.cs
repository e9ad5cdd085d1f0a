using GraphQL;
using GraphQL.Types;
using Klaviyo.GraphQL.GraphQL;
using Klaviyo.GraphQL.TimeRanges;

namespace Klaviyo.GraphQL.Overview;

public sealed class OverviewQueries : IQueryFields
{
    public void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<OverviewPayloadType>>("overview")
            .Description("KPI cards with % change against the previous window of equal length, and revenue over time by channel.")
            .Argument<NonNullGraphType<DateRangeInputType>>("range", "The window to report on.")
            .Argument<BooleanGraphType>("forceFresh", "Bypass any cached copy.", a => a.DefaultValue = false)
            .ResolveAsync(async ctx => await ctx.RequestServicesOrThrow().GetRequiredService<OverviewReader>()
                .ReadAsync(ctx.GetArgument<DateRange>("range"), ctx.ForceFresh(), ctx.CancellationToken));
}
