namespace Klaviyo.Core.Digests;

public static class DigestServiceCollectionExtensions
{
    /// <summary>Scheduled digests: their schedule on the sync leader, their delivery (rendered by the <see cref="IDigestRenderer"/> the API layer registers). They go out through the alerts' outbox and contact points.</summary>
    public static IHostApplicationBuilder AddKlaviyoDigests(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<DigestScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<DigestScheduler>());
        services.AddSingleton<DigestService>();
        return builder;
    }
}
