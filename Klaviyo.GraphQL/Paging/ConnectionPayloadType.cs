using GraphQL.Types;
using Klaviyo.Core.Freshness;
using Klaviyo.GraphQL.Channels;
using Klaviyo.GraphQL.Execution;
using Klaviyo.GraphQL.Freshness;
using Klaviyo.GraphQL.Metrics;

namespace Klaviyo.GraphQL.Paging;

/// <summary>Hot Chocolate's connection shape (nodes, edges, pageInfo, totalCount) plus the freshness fields.</summary>
public sealed class ConnectionPayloadType<TRow> : ObjectGraphType<Fresh<Connection<TRow>>>
{
    public ConnectionPayloadType(ConnectionDefinition<TRow> definition)
    {
        Name = definition.PluralName + "Payload";
        Description = $"A page of {definition.FieldName} and how fresh it is.";
        Field("nodes", typeof(NonNullGraphType<>).MakeGenericType(typeof(ListGraphType<>).MakeGenericType(typeof(NonNullGraphType<>).MakeGenericType(definition.NodeGraphType))))
            .Description("The rows of this page.")
            .Resolve(ctx => ctx.Source.Data.Nodes)
            .WithImmutableItems();
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EdgeType<TRow>>>>>("edges")
            .Description("The rows of this page with their cursors.")
            .Resolve(ctx => ctx.Source.Data.Edges)
            .WithImmutableItems();
        Field<NonNullGraphType<PageInfoType>>("pageInfo")
            .Description("Information to fetch the next or previous page.")
            .Resolve(ctx => ctx.Source.Data.PageInfo);
        Field<NonNullGraphType<IntGraphType>>("totalCount")
            .Description("The number of rows matching the filter, over all pages.")
            .Resolve(ctx => ctx.Source.Data.TotalCount);
        if (definition.Reports is not null)
        {
            Field<MetricType>("conversionMetric").Description("The metric conversions and revenue were counted from; null before any Placed Order metric has synced.")
                .Resolve(ctx => ctx.Source.Data.Scope?.Metric);
            Field<ChannelType>("channel").Description("The channel the rows and statistics were limited to; null for all.").Resolve(ctx => ctx.Source.Data.Scope?.Channel);
            Field<StringGraphType>("statisticsNote").Description("Why statistics are null (reports for this metric not fetched yet); null when they are there.")
                .Resolve(ctx => ctx.Source.Data.Scope?.Note);
        }
        this.AddFreshnessFields();
    }
}

public sealed class EdgeType<TRow> : ObjectGraphType<Edge<TRow>>
{
    public EdgeType(ConnectionDefinition<TRow> definition)
    {
        Name = definition.PluralName + "Edge";
        Description = "A row and its cursor.";
        Field(e => e.Cursor).Description("Pass as 'after' or 'before' to page from this row.");
        Field("node", typeof(NonNullGraphType<>).MakeGenericType(definition.NodeGraphType))
            .Description("The row.")
            .Resolve(ctx => ctx.Source.Node);
    }
}
