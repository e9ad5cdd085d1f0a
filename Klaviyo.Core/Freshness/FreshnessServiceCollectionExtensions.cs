using Klaviyo.Core.Accounts;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Metrics;
using Klaviyo.Core.Overview;
using Klaviyo.Core.Portfolio;
using Klaviyo.Core.Sync;
using Microsoft.Extensions.Caching.Memory;
using ZiggyCreatures.Caching.Fusion;

namespace Klaviyo.Core.Freshness;

public static class FreshnessServiceCollectionExtensions
{
    /// <summary>
    /// What every reader of the numbers stands on: the event bus behind pushed changes, the progress and
    /// error boards, the two-level cache with its freshness, and the readers of the overview, metrics,
    /// account and sync status.
    /// </summary>
    public static IHostApplicationBuilder AddKlaviyoFreshness(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
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
        services.AddSingleton<AccountReader>();
        services.AddSingleton<ConversionMetrics>();
        services.AddSingleton<OverviewReader>();
        services.AddSingleton<PortfolioFigures>();
        services.AddSingleton<MetricSeriesReader>();
        services.AddSingleton<SyncStatusReader>();
        return builder;
    }
}
