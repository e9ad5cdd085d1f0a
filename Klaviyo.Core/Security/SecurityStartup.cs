using Klaviyo.Api;
using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Security;

/// <summary>
/// Settles the <see cref="SecurityMode"/> before the server listens (hosted services start before
/// Kestrel, and this one after the migrator): sign-in is required when an account or API key
/// exists, OIDC or a bootstrap admin is configured, or Security:RequireSignIn says so. Without any
/// of these the app serves anonymous callers only on loopback, and refuses a network address
/// unless Security:AllowAnonymous is set.
/// </summary>
internal sealed class SecurityStartup(
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    IOptions<SecurityOptions> options,
    SecurityMode mode,
    ILogger<SecurityStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var security = options.Value;
        if (!string.IsNullOrEmpty(configuration["GraphQL:AccessToken"]))
            throw new StartRefusedException("GraphQL:AccessToken was replaced by API keys: sign in as an Admin, create a key with the role the tool needs " +
                "(admin page or the createApiKey mutation), send it as 'Authorization: Bearer <key>', and remove GraphQL:AccessToken.");
        await using var scope = scopes.CreateAsyncScope();
        if (security.BootstrapAdmin.Email is { Length: > 0 } email)
            await AdminAccounts.EnsureAsync(scope.ServiceProvider, email, security.BootstrapAdmin.Password, logger, cancellationToken);

        var db = scope.ServiceProvider.GetRequiredService<KlaviyoDbContext>();
        var hasAccounts = await db.Users.AnyAsync(cancellationToken) || await db.ApiKeys.AnyAsync(cancellationToken);
        var authentication = security.RequireSignIn || security.Oidc.Enabled || hasAccounts;
        var network = ListenAddresses.NonLoopback(configuration);

        if (authentication)
        {
            mode.Resolve(null, loopbackOnly: false);
            logger.LogInformation("Sign-in required ({Methods}).", security.Oidc.Enabled ? "accounts, API keys and single sign-on" : "accounts and API keys");
            return;
        }
        if (network.Count == 0)
        {
            mode.Resolve(Roles.Normalize(security.AnonymousRole) ?? Roles.Admin, loopbackOnly: true);
            logger.LogInformation("No authentication configured: listening on loopback only and accepting only loopback host names; " +
                "anyone on this machine has the {Role} role. Create an admin with 'create-admin EMAIL' to require sign-in.", mode.AnonymousRole);
            return;
        }
        if (!security.AllowAnonymous)
            throw new StartRefusedException(
                $"Refusing to listen on {string.Join(", ", network)} without authentication. Create an admin account " +
                "('dotnet run --project Klaviyo.Web -- create-admin EMAIL' or Security:BootstrapAdmin:Email and :Password), configure Security:Oidc:Authority, " +
                "listen on loopback only (urls), or set Security:AllowAnonymous=true to serve anonymous callers on the network.");
        mode.Resolve(Roles.Normalize(security.AnonymousRole) ?? Roles.Viewer, loopbackOnly: false);
        logger.LogWarning("Security:AllowAnonymous is on: anonymous callers on {Addresses} have the {Role} role.", string.Join(", ", network), mode.AnonymousRole);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
