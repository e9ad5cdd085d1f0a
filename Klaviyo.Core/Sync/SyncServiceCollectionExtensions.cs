using Klaviyo.Core.Data;
using Klaviyo.Core.Reports;
using Klaviyo.Core.RestClient;
using Klaviyo.Core.Sync.Entities;

namespace Klaviyo.Core.Sync;

public static class SyncServiceCollectionExtensions
{
    /// <summary>The Klaviyo client, one syncer per entity, the coordinator and the background schedule.</summary>
    public static IHostApplicationBuilder AddKlaviyoSync(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<KlaviyoOptions>(builder.Configuration.GetSection(KlaviyoOptions.Section));
        services.AddSingleton<KlaviyoConnection>();
        services.AddSingleton<RateLimitPacer>();
        services.AddSingleton<KlaviyoClientStatistics>();
        services.AddHttpClient<KlaviyoClient>(http => http.Timeout = Timeout.InfiniteTimeSpan); // per-request timeouts are the client's

        services.AddSingleton<IEntitySyncer, MetricsSyncer>();
        services.AddSingleton<IEntitySyncer, AccountSyncer>();
        services.AddSingleton<IEntitySyncer, CampaignsSyncer>();
        services.AddSingleton<IEntitySyncer, FlowsSyncer>();
        services.AddSingleton<IEntitySyncer>(new GroupsSyncer(SyncEntity.Segments));
        services.AddSingleton<IEntitySyncer>(new GroupsSyncer(SyncEntity.Lists));
        services.AddSingleton<IEntitySyncer, FormsSyncer>();
        services.AddSingleton<IEntitySyncer, ProfilesSyncer>();
        services.AddSingleton<IEntitySyncer, EventsSyncer>();
        services.AddSingleton<ReportBudget>();
        services.AddSingleton<ReportPlan>();
        foreach (var report in ReportPlan.Entities)
            services.AddSingleton<IEntitySyncer>(sp => new ReportsSyncer(report, sp.GetRequiredService<ReportPlan>()));

        // The deployment's, shared with every account's shell (AccountShell replaces it with the deployment's instance).
        services.AddSingleton(sp => BackfillSlots.Of(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SyncOptions>>().Value));
        services.AddSingleton<SyncRunLog>();
        services.AddSingleton<SyncStateStore>();
        services.AddSingleton<SyncOutcomes>();
        services.AddSingleton<SyncCoordinator>();
        services.AddSingleton<SyncRequests>();
        services.AddHostedService<SyncEngine>();
        return builder;
    }
}
