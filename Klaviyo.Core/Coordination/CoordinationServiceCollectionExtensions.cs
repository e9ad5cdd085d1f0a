using Klaviyo.Core.Data;
using Microsoft.AspNetCore.DataProtection;

namespace Klaviyo.Core.Coordination;

public static class CoordinationServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddKlaviyoCoordination(this IHostApplicationBuilder builder)
    {
        // One id per process, decided here so the lease, diagnostics and OpenTelemetry's service.instance.id agree.
        var instanceId = $"{CoordinationOptions.Section}:InstanceId";
        if (string.IsNullOrWhiteSpace(builder.Configuration[instanceId]))
            builder.Configuration[instanceId] = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";
        // A connected account's shell: its lease follows the deployment's registry (shared into the shell), and
        // its Data Protection is the deployment's (shared too).
        var shell = !string.IsNullOrWhiteSpace(builder.Configuration[$"{CoordinationOptions.Section}:{nameof(CoordinationOptions.Account)}"]);
        if (builder.Configuration.GetValue<bool>($"{CoordinationOptions.Section}:Enabled") && !shell)
        {
            // Keys in the shared database (the scoped KlaviyoDbContext security registers): a cookie or
            // antiforgery token one instance issued, the others read.
            builder.Services.AddDataProtection().SetApplicationName("Klaviyo.Dashboard").PersistKeysToDbContext<KlaviyoDbContext>();
        }
        builder.Services.Configure<CoordinationOptions>(builder.Configuration.GetSection(CoordinationOptions.Section));
        builder.Services.AddSingleton<LeaderLease>();
        builder.Services.AddHostedService<LeaseKeeper>();
        if (builder.Configuration.GetValue<bool>($"{CoordinationOptions.Section}:Enabled") && !shell)
        {
            builder.Services.AddSingleton<InstanceRegistry>();
            builder.Services.AddHostedService<InstanceHeartbeat>();
        }
        // No Redis configured, no connection opened.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{CoordinationOptions.Section}:Redis"]))
        {
            builder.Services.AddSingleton<RedisConnection>();
            builder.Services.AddSingleton<RedisEventBridge>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<RedisEventBridge>());
            // Who may call is the deployment's: an account's shell has no credentials of its own.
            if (!shell)
                builder.Services.AddHostedService<RedisCredentialBridge>();
            builder.Services.AddSingleton<SyncForwarding>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SyncForwarding>());
        }
        return builder;
    }
}
