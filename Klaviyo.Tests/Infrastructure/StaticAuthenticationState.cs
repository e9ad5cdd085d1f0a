using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace Klaviyo.Tests.Infrastructure;

/// <summary>An authentication state that is always this principal (the dashboard client outside a circuit).</summary>
public sealed class StaticAuthenticationState(ClaimsPrincipal user) : AuthenticationStateProvider
{
    public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
}
