using GraphQL.Types;
using Klaviyo.Core.Data;
using Klaviyo.Core.Freshness;
using Klaviyo.GraphQL.Freshness;

namespace Klaviyo.GraphQL.Metrics;

public sealed class MetricsPayloadType : ObjectGraphType<Fresh<IReadOnlyList<Metric>>>
{
    public MetricsPayloadType()
    {
        Name = "MetricsPayload";
        Description = "Every metric of the account, by name.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MetricType>>>>("nodes")
            .Description("The metrics.")
            .Resolve(ctx => ctx.Source.Data);
        this.AddFreshnessFields();
    }
}
