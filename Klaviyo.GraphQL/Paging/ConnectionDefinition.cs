using Klaviyo.Core.Data;
using Klaviyo.Core.Statistics;
using Klaviyo.GraphQL.Filtering;

namespace Klaviyo.GraphQL.Paging;

/// <summary>Everything one paged, filterable, sortable query field needs; the generic pieces do the rest.</summary>
/// <param name="FieldName">The query field, e.g. "campaigns".</param>
/// <param name="PluralName">Prefix of the payload and edge types, e.g. "Campaigns".</param>
/// <param name="NodeGraphType">The graph type of <typeparamref name="TRow"/>.</param>
/// <param name="Source">The rows, projected in SQL, before filtering and sorting (report statistics read in the scope).</param>
/// <param name="Entities">The synced entities the rows come from: they decide <c>lastUpdated</c>.</param>
public sealed record ConnectionDefinition<TRow>(
    string FieldName,
    string PluralName,
    Type NodeGraphType,
    QuerySpec<TRow> Spec,
    Func<KlaviyoDbContext, ReportScope, IQueryable<TRow>> Source,
    (string Field, SortDirection Direction) DefaultOrder,
    IReadOnlyCollection<SyncEntity> Entities,
    string Description)
{
    /// <summary>
    /// For tables with report statistics, the report entity they read (CampaignReports, FlowReports).
    /// Such a table takes <c>conversionMetricId</c> and <c>channel</c> and its payload says which it used.
    /// </summary>
    public SyncEntity? Reports { get; init; }
}
