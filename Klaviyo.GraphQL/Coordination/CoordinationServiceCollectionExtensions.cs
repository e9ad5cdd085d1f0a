namespace Klaviyo.GraphQL.Coordination;

public static class CoordinationServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddKlaviyoCoordination(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<CoordinationOptions>(builder.Configuration.GetSection(CoordinationOptions.Section));
        builder.Services.AddSingleton<LeaderLease>();
        builder.Services.AddHostedService<LeaseKeeper>();
        return builder;
    }
}
