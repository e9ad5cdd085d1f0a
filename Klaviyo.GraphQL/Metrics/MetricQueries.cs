using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Data;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Metrics;
using Klaviyo.Core.TimeRanges;
using Klaviyo.GraphQL.Accounts;
using Klaviyo.GraphQL.Schema;
using Klaviyo.GraphQL.TimeRanges;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Metrics;

public sealed class MetricQueries : IQueryFields
{
    public void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<MetricsPayloadType>>("metrics")
            .Description("Every metric of the account, by name.")
            .Argument<BooleanGraphType>("forceFresh", "Bypass any cached copy.", a => a.DefaultValue = false)
            .ResolveAsync(async ctx => await ReadMetricsAsync(ctx.AccountServices(), ctx.ForceFresh(), ctx.CancellationToken));

        query.Field<NonNullGraphType<MetricSeriesPayloadType>>("metricSeries")
            .Description("One metric's event count or value per bucket, from rollups.")
            .Argument<NonNullGraphType<IdGraphType>>("metricId", "The metric.")
            .Argument<NonNullGraphType<DateRangeInputType>>("range", "The window.")
            .Argument<NonNullGraphType<SeriesIntervalType>>("interval", "The bucket width; HOUR covers at most 31 days.")
            .Argument<NonNullGraphType<MeasurementType>>("measurement", "COUNT or SUM_VALUE.")
            .Argument<BooleanGraphType>("forceFresh", "Bypass any cached copy.", a => a.DefaultValue = false)
            .ResolveAsync(async ctx =>
            {
                var services = ctx.AccountServices();
                var (range, _) = await services.GetRequiredService<Core.Accounts.AccountReader>().ResolveAsync(ctx.GetArgument<RangeRequest>("range"), CompareTo.None, ctx.CancellationToken);
                return await services.GetRequiredService<MetricSeriesReader>().ReadAsync(ctx.GetArgument<string>("metricId"), range.Current,
                    ctx.GetArgument<SeriesInterval>("interval"), ctx.GetArgument<Measurement>("measurement"), ctx.ForceFresh(), ctx.CancellationToken);
            });
    }

    private static Task<Fresh<IReadOnlyList<Metric>>> ReadMetricsAsync(IServiceProvider services, bool forceFresh, CancellationToken cancellationToken) =>
        services.GetRequiredService<FreshCache>().GetAsync<IReadOnlyList<Metric>>(CacheKeys.Metrics(), [SyncEntity.Metrics], forceFresh, async token =>
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync(token);
            return await db.Metrics.AsNoTracking().OrderBy(m => m.Name).ThenBy(m => m.Id).ToListAsync(token);
        }, cancellationToken);
}
