using System.Security.Cryptography;
using Klaviyo.Core.Accounts;
using Klaviyo.Core.Data;
using Klaviyo.Core.Hosting;
using Klaviyo.Core.RestClient;
using Klaviyo.Core.Security;
using Klaviyo.Core.Webhooks;
using Klaviyo.Sandbox;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Klaviyo.Server;

/// <summary>
/// The sandbox hosted in this app (the default without a Klaviyo key): its account's start is kept
/// beside the database, so the account lives as long as the data synced from it; its fault control
/// is for Admins; its API takes a key only this process knows; its webhooks reach only this app.
/// </summary>
public static class SandboxHosting
{
    public static IHostApplicationBuilder AddHostedKlaviyoSandbox(this IHostApplicationBuilder builder)
    {
        builder.AddKlaviyoSandbox();
        builder.Services.AddSingleton<ISandboxAccount, HostedSandboxAccount>();
        builder.Services.AddSingleton<ISandboxKeys, HostedSandboxKeys>();
        builder.Services.AddOptions<SandboxOptions>().PostConfigure<IOptions<DatabaseOptions>>((o, database) =>
            o.AnchorFile ??= AnchorBesideDatabase(builder.Configuration.GetConnectionString("Klaviyo"), builder.Environment.ContentRootPath, database.Value));
        // The sandbox's API answers on the app's own address, sign-in or not: its key is this process's
        // secret (its own sync is the only caller) unless one is configured.
        // (Not hosted, a sandbox elsewhere is called with its own default key.)
        if (builder.Configuration.IsSandboxEnabled() && string.IsNullOrWhiteSpace(builder.Configuration[$"{SandboxOptions.Section}:{nameof(SandboxOptions.ApiKey)}"]))
        {
            var key = "pk_sandbox_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            builder.Services.PostConfigure<SandboxOptions>(o => o.ApiKey = key);
        }
        // Webhooks go to this app's receiver and nowhere else.
        builder.Services.AddOptions<SandboxOptions>().PostConfigure<IOptions<WebhookOptions>>((o, webhooks) =>
        {
            if (o.WebhookTargets.Length == 0 && webhooks.Value.Endpoint is { } receiver)
                o.WebhookTargets = [receiver.ToString()];
        });
        return builder;
    }

    public static WebApplication MapHostedKlaviyoSandbox(this WebApplication app) => app.MapKlaviyoSandbox(controlPolicy: Roles.Admin);

    /// <summary><c>klaviyo.db.sandbox.json</c> beside a SQLite file; <c>sandbox.json</c> in the data directory for a server; none for an in-memory database.</summary>
    private static string? AnchorBesideDatabase(string? connectionString, string contentRoot, DatabaseOptions database)
    {
        if (database.Provider == DatabaseProvider.Sqlite && connectionString is { Length: > 0 })
        {
            var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
            return string.IsNullOrEmpty(file) || file == ":memory:" ? null : Path.GetFullPath(file, contentRoot) + ".sandbox.json";
        }
        var folder = Path.GetFullPath(Path.Combine(contentRoot, database.DataDirectory));
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, database.Provider == DatabaseProvider.Sqlite ? "klaviyo.db.sandbox.json" : "sandbox.json");
    }

    /// <summary>The hosted sandbox's further accounts: an account added with one of their keys is reached at this app's own address.</summary>
    private sealed class HostedSandboxKeys(IConfiguration configuration, IServiceProvider services) : ISandboxKeys
    {
        public bool Knows(string apiKey) => configuration.IsSandboxEnabled() && services.GetRequiredService<SandboxTenants>().Knows(apiKey);
    }

    /// <summary>The sandbox on this app's own address, called with its key.</summary>
    private sealed class HostedSandboxAccount(IOptions<SandboxOptions> sandbox, IServer server) : ISandboxAccount
    {
        public Uri BaseUrl => new(server.LocalBase(), JsonApi.Prefix.TrimStart('/') + "/");

        public string ApiKey => sandbox.Value.ApiKey;
    }
}
