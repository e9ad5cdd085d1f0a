using GraphQL.Types;
using Klaviyo.Core.Data;

namespace Klaviyo.GraphQL.Metrics;

public sealed class MetricType : ObjectGraphType<Metric>
{
    public MetricType()
    {
        Name = "Metric";
        Description = "A kind of event Klaviyo records, such as Placed Order or Opened Email.";
        Field(m => m.Id, type: typeof(NonNullGraphType<IdGraphType>)).Description("Klaviyo's metric id.");
        Field(m => m.Name).Description("The metric's name.");
        Field(m => m.IntegrationName, nullable: true).Description("The integration that records it, e.g. Klaviyo, Shopify.");
        Field(m => m.IntegrationCategory, nullable: true).Description("The integration's category.");
        Field(m => m.Created).Description("When the metric was created.");
        Field(m => m.Updated).Description("When the metric was last changed.");
    }
}
