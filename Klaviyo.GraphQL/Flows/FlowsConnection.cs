using Klaviyo.Core.Data;
using Klaviyo.Core.Flows;
using Klaviyo.GraphQL.Filtering;
using Klaviyo.GraphQL.Paging;
using Klaviyo.GraphQL.Statistics;

namespace Klaviyo.GraphQL.Flows;

public static class FlowsConnection
{
    public static readonly ConnectionDefinition<FlowRow> Definition = new(
        FieldName: "flows",
        PluralName: "Flows",
        NodeGraphType: typeof(FlowType),
        Spec: new QuerySpec<FlowRow>("Flow", f => f.Id)
            .String("id", f => f.Id)
            .String("name", f => f.Name)
            .String("status", f => f.Status)
            .Boolean("archived", f => f.Archived)
            .String("triggerType", f => f.TriggerType)
            .DateTime("created", f => f.Created)
            .DateTime("updated", f => f.Updated)
            .MessageStatistics(),
        Source: FlowRow.Query,
        DefaultOrder: ("name", SortDirection.Asc),
        Entities: [SyncEntity.Flows, SyncEntity.FlowReports],
        Description: "Flows with their report statistics for a conversion metric; by name unless ordered otherwise.")
    {
        Reports = SyncEntity.FlowReports,
    };
}
