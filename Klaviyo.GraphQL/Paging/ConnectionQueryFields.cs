using System.Collections;
using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Channels;
using Klaviyo.Core.Data;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Metrics;
using Klaviyo.Core.Reports;
using Klaviyo.Core.Statistics;
using Klaviyo.GraphQL.Accounts;
using Klaviyo.GraphQL.Channels;
using Klaviyo.GraphQL.Filtering;
using Klaviyo.GraphQL.Schema;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Paging;

/// <summary>Adds one connection field (paging, <c>where</c>, <c>order</c>, <c>forceFresh</c>) to the query root.</summary>
public sealed class ConnectionQueryFields<TRow>(ConnectionDefinition<TRow> definition) : IQueryFields
{
    public void AddTo(ObjectGraphType query)
    {
        var field = query.Field<NonNullGraphType<ConnectionPayloadType<TRow>>>(definition.FieldName)
            .Description(definition.Description)
            .Argument<IntGraphType>("first", $"Rows after 'after' (1–{PageRequest.MaxPageSize}; default {PageRequest.DefaultPageSize}).")
            .Argument<StringGraphType>("after", "Cursor to read after.")
            .Argument<IntGraphType>("last", $"Rows before 'before' (1–{PageRequest.MaxPageSize}).")
            .Argument<StringGraphType>("before", "Cursor to read before.")
            .Argument<FilterInputType<TRow>>("where", "Only rows matching these conditions.")
            .Argument<ListGraphType<NonNullGraphType<SortInputType<TRow>>>>("order", "Sort keys in priority order.")
            .Argument<BooleanGraphType>("forceFresh", "Bypass any cached copy.", a => a.DefaultValue = false)
            .ResolveAsync(async ctx => await ResolveAsync(ctx));
        if (definition.Reports is not null)
            field
                .Argument<IdGraphType>("conversionMetricId", "The metric conversions and revenue are counted from (conversionMetrics lists them); default Placed Order.")
                .Argument<ChannelType>("channel", "Only this channel's rows and statistics.");
    }

    private async Task<Fresh<Connection<TRow>>> ResolveAsync(IResolveFieldContext ctx)
    {
        var page = new PageRequest(
            ctx.GetArgument<int?>("first"), ctx.GetArgument<string?>("after"),
            ctx.GetArgument<int?>("last"), ctx.GetArgument<string?>("before"));
        var where = ctx.Arguments?.TryGetValue("where", out var w) == true ? w.Value as IDictionary<string, object?> : null;
        var order = ctx.Arguments?.TryGetValue("order", out var o) == true ? o.Value as IEnumerable : null;

        var metricId = ctx.GetArgument<string?>("conversionMetricId");
        var channel = ctx.GetArgument<Channel?>("channel");

        var services = ctx.AccountServices();
        var key = CacheKeys.Connection(definition.FieldName, new { page, where, order, metricId, channel });
        return await services.GetRequiredService<FreshCache>().GetAsync(key, definition.Entities, ctx.ForceFresh(), async token =>
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync(token);
            var scope = await ScopeAsync(db, services, metricId, channel, token);
            var connection = await definition.Source(db, scope)
                .Where(definition.Spec, where)
                .OrderBy(definition.Spec, order, definition.DefaultOrder)
                .ToConnectionAsync(page, token);
            return definition.Reports is null ? connection : connection with { Scope = scope };
        }, ctx.CancellationToken);
    }

    /// <summary>The report rows to read; a metric whose reports have not arrived is put in the report plan.</summary>
    private async Task<ReportScope> ScopeAsync(KlaviyoDbContext db, IServiceProvider services, string? metricId, Channel? channel, CancellationToken cancellationToken)
    {
        if (definition.Reports is not { } reports)
            return new ReportScope(null, null, Arrived: false);
        var (_, metric) = await ConversionMetrics.ResolveAsync(db, metricId, cancellationToken);
        var known = metric is not null && await services.GetRequiredService<ReportPlan>().ArrivedAsync(db, reports, metric.Id, cancellationToken);
        return new ReportScope(metric, channel, known);
    }
}
