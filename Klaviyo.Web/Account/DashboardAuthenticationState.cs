using Klaviyo.Core.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Klaviyo.Web.Account;

/// <summary>
/// A circuit's sign-in, re-checked against the account while the circuit lives: a deleted, locked or
/// demoted user (a new security stamp), or anonymous access ended by the first account, signs the
/// circuit out. The API tokens the circuit mints are refused at once after such a change
/// (<see cref="DashboardTokens"/>); this makes the page itself follow.
/// </summary>
internal sealed class DashboardAuthenticationState(ILoggerFactory loggers, CredentialCheck check) : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(10);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        check.StillValidAsync(authenticationState.User, cancellationToken);
}
