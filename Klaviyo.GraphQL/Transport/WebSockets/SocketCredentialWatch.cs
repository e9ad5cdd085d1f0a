using System.Security.Claims;
using Klaviyo.Core.Security;

namespace Klaviyo.GraphQL.Transport.WebSockets;

/// <summary>
/// Re-checks the credential an open socket runs as: every <c>interval</c>, and at once when any credential
/// changes (<see cref="CredentialChanges"/>: a revoked key, a deleted, locked or demoted user, on any instance).
/// </summary>
public sealed class SocketCredentialWatch(CredentialCheck check, CredentialChanges changes, TimeSpan interval, ILogger logger)
{
    public async Task<bool> StillValidAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        try
        {
            return await check.StillValidAsync(user, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <param name="user">The socket's principal once acknowledged; null before the handshake (nothing to check yet).</param>
    /// <param name="revoked">Closes the socket (4403) and ends its operations: called once the credential no longer holds.</param>
    public async Task RunAsync(Func<ClaimsPrincipal?> user, Action revoked, CancellationToken cancellationToken)
    {
        Action<CredentialNotice> changed = notice => { _ = RecheckAsync(user, revoked, cancellationToken); };
        changes.Changed += changed;
        try
        {
            if (interval <= TimeSpan.Zero)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return;
            }
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(cancellationToken))
                await RecheckAsync(user, revoked, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            changes.Changed -= changed;
        }
    }

    private async Task RecheckAsync(Func<ClaimsPrincipal?> user, Action revoked, CancellationToken cancellationToken)
    {
        if (user() is not { } principal || cancellationToken.IsCancellationRequested)
            return;
        try
        {
            if (await StillValidAsync(principal, cancellationToken) || cancellationToken.IsCancellationRequested)
                return;
            logger.LogInformation("Closing a WebSocket of {User}: its credentials were revoked", principal.Identity?.Name);
            revoked();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database is away: the socket stays until a check can be made (the next change or interval).
            logger.LogWarning("Could not re-check a WebSocket's credentials ({Error})", e.GetType().Name);
        }
    }
}
