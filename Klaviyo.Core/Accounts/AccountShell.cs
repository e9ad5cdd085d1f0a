using Klaviyo.Core.Alerts;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Klaviyo.Core.Diagnostics;
using Klaviyo.Core.Digests;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.RestClient;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Klaviyo.Core.Accounts;

/// <summary>
/// A connected account's own services — its database, cache, freshness, sync engine, rate-limit
/// pacer, report budget, lease, alerts and digests — composed by the same methods that compose the
/// deployment's own account, in a host of its own (as Orchard Core runs a tenant's shell), so each
/// is scoped to the account by construction. It shares with the deployment only what is the
/// deployment's: the clock, logging (categories end with the account's id), Data Protection, the
/// outgoing HTTP handler of the Klaviyo client, the backfill slots and — coordinated — the live
/// instances (who syncs the account) and the Redis connection (its channels and keys its own).
/// </summary>
public sealed class AccountShell(string accountId, IHost host) : IAsyncDisposable
{
    public string AccountId { get; } = accountId;
    public IServiceProvider Services => host.Services;

    /// <summary>Builds the account's host; <paramref name="baseUrl"/> null is Klaviyo itself.</summary>
    public static AccountShell Build(ConnectedAccount account, string apiKey, Uri? baseUrl, IServiceProvider deployment)
    {
        var configuration = deployment.GetRequiredService<IConfiguration>();
        var environment = deployment.GetRequiredService<IHostEnvironment>();
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = environment.EnvironmentName,
            ContentRootPath = environment.ContentRootPath,
            ApplicationName = environment.ApplicationName,
        });
        builder.Configuration.AddConfiguration(configuration);
        var overrides = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Klaviyo"] = AccountStores.ConnectionString(database.Provider, DeploymentConnectionString(deployment), account.Store),
            [$"{KlaviyoOptions.Section}:{nameof(KlaviyoOptions.ApiKey)}"] = apiKey,
            [$"{KlaviyoOptions.Section}:{nameof(KlaviyoOptions.BaseUrl)}"] = baseUrl?.ToString() ?? "https://a.klaviyo.com/",
            [$"{KlaviyoOptions.Section}:{nameof(KlaviyoOptions.Sandbox)}"] = account.Sandbox ? "true" : "false",
            // Klaviyo pushes an added account's events to a receiver of its own (when the deployment has a public URL).
            [$"{WebhookOptions.Section}:{nameof(WebhookOptions.Account)}"] = account.Id,
            ["OpenTelemetry:OtlpEndpoint"] = "",
            // Dozens of accounts' pooled connections: a small page cache each (the deployment's own keeps SQLite's).
            [$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.SqliteCacheKiB)}"] = "512",
            // Its lease, Redis channels and cache keys are the account's.
            [$"{CoordinationOptions.Section}:{nameof(CoordinationOptions.Account)}"] = account.Id,
        };
        // Paused: its data is served as it was, and nothing is asked of Klaviyo.
        if (account.Paused)
        {
            overrides[$"{SyncOptions.Section}:{nameof(SyncOptions.Enabled)}"] = "false";
            overrides[$"{WebhookOptions.Section}:{nameof(WebhookOptions.PublicUrl)}"] = "";
        }
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.AddKlaviyoDatabase();
        builder.AddKlaviyoFreshness();
        builder.AddKlaviyoCoordination();
        builder.AddKlaviyoSync();
        builder.AddKlaviyoWebhooks();
        builder.AddKlaviyoAlerts();
        builder.AddKlaviyoDigests();
        builder.AddKlaviyoDiagnostics();
        Share(builder.Services, deployment, account.Id);
        return new AccountShell(account.Id, builder.Build());
    }

    private static void Share(IServiceCollection services, IServiceProvider deployment, string accountId)
    {
        services.Replace(ServiceDescriptor.Singleton(deployment.GetRequiredService<TimeProvider>()));
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(new AccountLoggerFactory(deployment.GetRequiredService<ILoggerFactory>(), accountId)));
        services.Replace(ServiceDescriptor.Singleton(deployment.GetRequiredService<IDataProtectionProvider>()));
        // Backfills take turns across all the deployment's accounts.
        services.Replace(ServiceDescriptor.Singleton(deployment.GetRequiredService<BackfillSlots>()));
        // Coordinated: the deployment's view of the live instances decides who syncs the account, over its one Redis connection.
        if (deployment.GetService<InstanceRegistry>() is { } registry)
            services.Replace(ServiceDescriptor.Singleton(registry));
        if (deployment.GetService<RedisConnection>() is { } redis)
            services.Replace(ServiceDescriptor.Singleton(redis));
        // The deployment's handler: its proxy, certificates and (in tests) its in-memory server.
        var handlers = deployment.GetRequiredService<IHttpMessageHandlerFactory>();
        services.AddHttpClient<KlaviyoClient>().ConfigurePrimaryHttpMessageHandler(() => handlers.CreateHandler(nameof(KlaviyoClient)));
    }

    private static string DeploymentConnectionString(IServiceProvider deployment)
    {
        using var db = deployment.GetRequiredService<IDbContextFactory<KlaviyoDbContext>>().CreateDbContext();
        return db.Database.GetConnectionString()
            ?? throw new InvalidOperationException("The deployment's database has no connection string.");
    }

    public Task StartAsync(CancellationToken cancellationToken) => host.StartAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await host.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (host is IAsyncDisposable disposable)
            await disposable.DisposeAsync();
        else
            host.Dispose();
    }

    /// <summary>The deployment's logging, each category ending with the account (a sync's lines say whose sync it was).</summary>
    private sealed class AccountLoggerFactory(ILoggerFactory inner, string accountId) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => inner.CreateLogger($"{categoryName}[{accountId}]");

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        // The deployment's factory is the deployment's to dispose.
        public void Dispose()
        {
        }
    }
}
