using GraphQL.Types;
using Klaviyo.Core.Flows;
using Klaviyo.GraphQL.Statistics;

namespace Klaviyo.GraphQL.Flows;

public sealed class FlowType : ObjectGraphType<FlowRow>
{
    public FlowType()
    {
        Name = "Flow";
        Description = "A Klaviyo flow with the statistics of its latest report.";
        Field(f => f.Id, type: typeof(NonNullGraphType<IdGraphType>)).Description("Klaviyo's flow id.");
        Field(f => f.Name).Description("The flow's name.");
        Field(f => f.Status).Description("draft, manual or live.");
        Field(f => f.Archived).Description("Whether the flow is archived.");
        Field(f => f.TriggerType, nullable: true).Description("What starts the flow, e.g. Added to List, Metric.");
        Field(f => f.Created).Description("When the flow was created.");
        Field(f => f.Updated).Description("When the flow was last changed in Klaviyo.");
        this.AddMessageStatistics();
    }
}
