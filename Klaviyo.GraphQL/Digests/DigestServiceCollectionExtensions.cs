using Klaviyo.GraphQL.GraphQL;

namespace Klaviyo.GraphQL.Digests;

public static class DigestServiceCollectionExtensions
{
    /// <summary>Scheduled digests: their schedule on the sync leader, their rendering (chart, CSV), the API. They go out through the alerts' outbox and contact points.</summary>
    public static IHostApplicationBuilder AddKlaviyoDigests(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<DigestRenderer>();
        services.AddSingleton<DigestScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<DigestScheduler>());
        services.AddSingleton<DigestService>();
        services.AddSingleton<IQueryFields, DigestQueries>();
        services.AddSingleton<IMutationFields, DigestMutations>();
        return builder;
    }
}
