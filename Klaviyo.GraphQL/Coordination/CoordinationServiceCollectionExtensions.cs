namespace Klaviyo.GraphQL.Coordination;

public static class CoordinationServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddKlaviyoCoordination(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<CoordinationOptions>(builder.Configuration.GetSection(CoordinationOptions.Section));
        builder.Services.AddSingleton<LeaderLease>();
        builder.Services.AddHostedService<LeaseKeeper>();
        // No Redis configured, no connection opened.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{CoordinationOptions.Section}:Redis"]))
        {
            builder.Services.AddSingleton<RedisEventBridge>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<RedisEventBridge>());
        }
        return builder;
    }
}
