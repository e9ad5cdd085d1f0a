using Klaviyo.Core.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace Klaviyo.Web.Client;

/// <summary>
/// What the dashboard's calls to the API carry: <c>GraphQL:ApiKey</c> when the API runs separately,
/// else a short-lived token for the signed-in user of this circuit, so the API applies that user's
/// role (the dashboard's own buttons are only a courtesy). Outside a circuit (the warm-up), the
/// dashboard process's own Viewer token.
/// </summary>
public sealed class DashboardCredentials(AuthenticationStateProvider authentication, DashboardTokens tokens, IConfiguration configuration)
{
    public async Task<string?> BearerAsync()
    {
        if (configuration["GraphQL:ApiKey"] is { Length: > 0 } key)
            return key;
        try
        {
            var user = (await authentication.GetAuthenticationStateAsync()).User;
            return tokens.Mint(user) ?? tokens.MintService();
        }
        catch (InvalidOperationException)
        {
            return tokens.MintService(); // no circuit and no request: not a user's call
        }
    }
}
