using Klaviyo.Web.Client.Models;

namespace Klaviyo.Web.Client;

public static class ClientServiceCollectionExtensions
{
    /// <summary>The typed GraphQL client, its cache, the push channel, each session's <see cref="ApiState"/>, and the start-up warm-up.</summary>
    public static IHostApplicationBuilder AddDashboardClient(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<GraphQLEndpoint>();
        services.AddHttpClient<GraphQLTransport>(http => http.Timeout = TimeSpan.FromSeconds(35));
        // The generated client (Klaviyo.Client.Generator) sends through the transport.
        services.AddTransient<IGraphQLTransport>(sp => sp.GetRequiredService<GraphQLTransport>());
        services.AddTransient<KlaviyoGraphQLClient>();
        services.AddFusionCache(DashboardClient.CacheName);
        services.AddSingleton<LiveUpdates>();
        services.AddScoped<ApiState>();
        services.AddScoped<DashboardCredentials>();
        services.AddScoped<DashboardAccount>();
        services.AddScoped<DashboardClient>();
        services.AddScoped<DashboardSignals>();
        services.AddHostedService<Warmup.DashboardWarmup>();
        return builder;
    }
}
