using Klaviyo.Core.Data;
using Klaviyo.Core.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace Klaviyo.Web.Client;

/// <summary>
/// The Klaviyo account this dashboard session shows (from the page's <c>?account=</c>, so a link
/// opens the same account and Back returns to the last); null for the deployment's own. Every read,
/// mutation and subscription of the account's data names it. A user limited to accounts that do not
/// include the deployment's own is shown the first of theirs, as the API reads it for them.
/// </summary>
public sealed class DashboardAccount(AuthenticationStateProvider? authentication = null)
{
    public string? Id { get; private set; }

    /// <summary>Switches to <paramref name="id"/>; true when it changed (what the page shows must be read again).</summary>
    public bool Show(string? id)
    {
        id = string.IsNullOrWhiteSpace(id) || id == ConnectedAccount.DefaultId ? UsersDefault() : id;
        if (id == Id)
            return false;
        Id = id;
        return true;
    }

    /// <summary>The query string part that keeps this account in a link ("" for the deployment's own).</summary>
    public string Query(char separator = '&') => Id is null ? "" : $"{separator}account={Uri.EscapeDataString(Id)}";

    private string? UsersDefault()
    {
        // The circuit's (or prerendering request's) user is known by the time a page asks; never block on it.
        var state = authentication?.GetAuthenticationStateAsync();
        var account = state is { IsCompletedSuccessfully: true } ? AccountAccess.Of(state.Result.User).DefaultAccount : ConnectedAccount.DefaultId;
        return account == ConnectedAccount.DefaultId ? null : account;
    }
}
