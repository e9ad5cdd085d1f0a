using System.Security.Claims;
using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Security;

/// <summary>
/// Whether a principal authenticated earlier (an open socket's, a circuit's, a dashboard token's) may
/// still act: read from the database each time, never from a cache. An API key must be neither
/// revoked nor expired; an account must exist, be unlocked and carry the same security stamp (bumped
/// on every role change, lock and delete); an anonymous caller needs the mode still to serve them.
/// </summary>
public sealed class CredentialCheck(IDbContextFactory<KlaviyoDbContext> contexts, SecurityMode mode, CredentialStamp stamps, TimeProvider time)
{
    public async Task<bool> StillValidAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.Identity?.IsAuthenticated != true)
            return false;
        if (user.FindFirstValue(KlaviyoClaims.Method) == "anonymous")
            return mode.AnonymousRole is { } role && user.IsInRole(role);
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (user.FindFirstValue(KlaviyoClaims.ApiKeyId) is { } keyId)
        {
            if (!Guid.TryParse(keyId, out var id))
                return false;
            var key = await db.ApiKeys.AsNoTracking().Where(k => k.Id == id).Select(k => new { k.RevokedAt, k.ExpiresAt }).FirstOrDefaultAsync(cancellationToken);
            return key is { RevokedAt: null } && (key.ExpiresAt is null || key.ExpiresAt > now.UtcDateTime);
        }
        if (stamps.Of(user) is ({ } userId, { } stamp))
        {
            var account = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.SecurityStamp, u.LockoutEnd }).FirstOrDefaultAsync(cancellationToken);
            return account is not null && account.SecurityStamp == stamp && !(account.LockoutEnd > now);
        }
        // The dashboard process itself (its push socket, its warm-up): nobody can revoke it.
        return user.FindFirstValue(KlaviyoClaims.Method) == DashboardTokens.ServiceMethod && user.Identity.AuthenticationType == DashboardTokens.AuthenticationType;
    }
}
