using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Data;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Metrics;
using Klaviyo.GraphQL.Accounts;
using Klaviyo.GraphQL.Freshness;
using Klaviyo.GraphQL.Schema;

namespace Klaviyo.GraphQL.Metrics;

public sealed class ConversionMetricsPayloadType : ObjectGraphType<Fresh<IReadOnlyList<Metric>>>
{
    public ConversionMetricsPayloadType()
    {
        Name = "ConversionMetricsPayload";
        Description = "Metrics whose events carry a value: what revenue and conversions can be counted from.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MetricType>>>>("nodes").Description("By name, then integration.").Resolve(c => c.Source.Data);
        this.AddFreshnessFields();
    }
}

public sealed class ConversionMetricQueries : IQueryFields
{
    public void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ConversionMetricsPayloadType>>("conversionMetrics")
            .Description("Metrics that carry a value, to choose the conversion metric of the overview.")
            .Argument<BooleanGraphType>("forceFresh", "Bypass any cached copy.", a => a.DefaultValue = false)
            .ResolveAsync(async ctx => await ctx.AccountServices().GetRequiredService<ConversionMetrics>().ListAsync(ctx.ForceFresh(), ctx.CancellationToken));
}
