using GraphQL;
using GraphQL.Execution;
using Klaviyo.GraphQL.Campaigns;
using Klaviyo.GraphQL.Coordination;
using Klaviyo.GraphQL.Errors;
using Klaviyo.GraphQL.GraphQL.Errors;
using Klaviyo.GraphQL.Flows;
using Klaviyo.GraphQL.Forms;
using Klaviyo.GraphQL.Freshness;
using Klaviyo.GraphQL.GraphQL.Filtering;
using Klaviyo.GraphQL.GraphQL.Paging;
using Klaviyo.GraphQL.Lists;
using Klaviyo.GraphQL.Metrics;
using Klaviyo.GraphQL.Overview;
using Klaviyo.GraphQL.Segments;
using Klaviyo.GraphQL.Sync;
using Microsoft.Extensions.Caching.Memory;
using ZiggyCreatures.Caching.Fusion;

namespace Klaviyo.GraphQL.GraphQL;

public static class GraphQLServiceCollectionExtensions
{
    /// <summary>The schema, its read services and the event bus behind subscriptions.</summary>
    public static IHostApplicationBuilder AddKlaviyoGraphQL(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(GraphQLServerOptions.Section);
        services.Configure<GraphQLServerOptions>(section);
        var options = section.Get<GraphQLServerOptions>() ?? new GraphQLServerOptions();
        services.Configure<SyncOptions>(builder.Configuration.GetSection(SyncOptions.Section));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<EventBus>();
        services.AddSingleton<DataChangePublisher>();
        services.AddSingleton<SyncProgressBoard>();
        services.AddHostedService(sp => sp.GetRequiredService<SyncProgressBoard>());
        services.AddSingleton<ApiErrorBoard>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiErrorBoard>());
        services.Configure<CacheOptions>(builder.Configuration.GetSection(CacheOptions.Section));
        // Bounded: keys come from clients (ranges, filters, whole requests), so the count must not grow with them.
        var maxEntries = builder.Configuration.GetSection(CacheOptions.Section).Get<CacheOptions>()?.MaxEntries ?? new CacheOptions().MaxEntries;
        services.AddFusionCache()
            // A factory's exception is ours to classify and log: a database outage is logged once by the
            // ApiErrorBoard, a client's bad input (an unknown metric id) is its GraphQL error, not a warning.
            .WithOptions(o => o.FactoryErrorsLogLevel = LogLevel.Debug)
            .WithMemoryCache(_ => new MemoryCache(new MemoryCacheOptions { SizeLimit = maxEntries }))
            .WithRedisWhenCoordinated(builder.Configuration);
        services.AddSingleton<CacheStatistics>();
        services.AddSingleton<SyncClock>();
        services.AddSingleton<FreshCache>();
        services.AddSingleton<Http.ResponseCache>();
        services.AddSingleton<Accounts.AccountReader>();
        services.AddSingleton<ConversionMetrics>();
        services.AddSingleton<OverviewReader>();
        services.AddSingleton<MetricSeriesReader>();
        services.AddSingleton<SyncStatusReader>();

        services.AddSingleton<IQueryFields, Accounts.AccountQueries>();
        services.AddSingleton<IQueryFields, OverviewQueries>();
        services.AddConnection(CampaignsConnection.Definition);
        services.AddConnection(FlowsConnection.Definition);
        services.AddConnection(SegmentsConnection.Definition);
        services.AddConnection(ListsConnection.Definition);
        services.AddConnection(FormsConnection.Definition);
        services.AddSingleton<IQueryFields, MetricQueries>();
        services.AddSingleton<IQueryFields, ConversionMetricQueries>();
        services.AddSingleton<IQueryFields, SyncQueries>();
        services.AddSingleton<IMutationFields, SyncMutations>();
        services.AddSingleton<IMutationFields, RefreshDataMutation>();
        services.AddSingleton<IQueryFields, Security.SecurityQueries>();
        services.AddSingleton<IMutationFields, Security.SecurityMutations>();
        services.AddTransient(typeof(FilterInputType<>));
        services.AddTransient(typeof(SortInputType<>));
        services.AddTransient(typeof(ConnectionPayloadType<>));
        services.AddTransient(typeof(EdgeType<>));

        var exposeDetails = builder.Environment.IsDevelopment();
        services.AddGraphQL(b => b
            .AddSchema<KlaviyoSchema>()
            .AddSystemTextJson()
            .AddGraphTypes(typeof(KlaviyoSchema).Assembly)
            .AddErrorInfoProvider(new KlaviyoErrorInfoProvider(exposeDetails))
            .AddUnhandledExceptionHandler(AppErrors.Handle)
            .AddValidationRule<Security.RoleAuthorizationRule>()
            .AddValidationRule<Security.OperationRateLimitRule>()
            .AddComplexityAnalyzer(c =>
            {
                c.MaxDepth = options.MaxDepth;
                c.MaxComplexity = options.MaxComplexity;
            })
            .WithTimeout(options.ExecutionTimeout, TimeoutAction.ReturnTimeoutError));
        services.AddGraphQLTransport();
        return builder;
    }

    private static void AddConnection<TRow>(this IServiceCollection services, ConnectionDefinition<TRow> definition)
    {
        services.AddSingleton(definition);
        services.AddSingleton(definition.Spec);
        services.AddSingleton<IQueryFields>(new ConnectionQueryFields<TRow>(definition));
    }
}
