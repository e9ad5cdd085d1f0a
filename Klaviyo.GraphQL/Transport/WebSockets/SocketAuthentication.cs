using System.Security.Claims;
using Klaviyo.Core.Security;

namespace Klaviyo.GraphQL.Transport.WebSockets;

/// <summary>
/// Who a socket runs as, decided at <c>connection_init</c>: the credential in its payload (an API key or a
/// dashboard token) if it sends one, else the upgrade request's principal; it must be a Viewer or more.
/// </summary>
public sealed class SocketAuthentication(BearerCredentials credentials)
{
    /// <summary>The socket's principal and limit partition, or the close code that refuses it.</summary>
    public sealed record Outcome(ClaimsPrincipal? User, string? Partition, int? CloseCode);

    public async Task<Outcome> AuthenticateAsync(string? authorization, ClaimsPrincipal upgradeUser, string? remoteIp, CancellationToken cancellationToken)
    {
        var user = upgradeUser;
        if (BearerCredentials.TokenOf(authorization, allowBare: true) is { Length: > 0 } token)
        {
            if (await credentials.AuthenticateAsync(token, cancellationToken) is not { } authenticated)
                return new Outcome(null, null, CloseCodes.Forbidden);
            user = authenticated;
        }
        if (user.Identity?.IsAuthenticated != true)
            return new Outcome(null, null, CloseCodes.Unauthorized);
        if (!user.IsInRole(Roles.Viewer))
            return new Outcome(null, null, CloseCodes.Forbidden);
        return new Outcome(user, KlaviyoClaims.Partition(user, remoteIp), null);
    }
}
