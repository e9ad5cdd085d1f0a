namespace Klaviyo.Web.Client;

/// <summary>
/// The Klaviyo account this dashboard session shows (from the page's <c>?account=</c>, so a link
/// opens the same account and Back returns to the last); null for the deployment's own. Every read,
/// mutation and subscription of the account's data names it.
/// </summary>
public sealed class DashboardAccount
{
    public string? Id { get; private set; }

    /// <summary>Switches to <paramref name="id"/>; true when it changed (what the page shows must be read again).</summary>
    public bool Show(string? id)
    {
        id = string.IsNullOrWhiteSpace(id) || id == "default" ? null : id;
        if (id == Id)
            return false;
        Id = id;
        return true;
    }

    /// <summary>The query string part that keeps this account in a link ("" for the deployment's own).</summary>
    public string Query(char separator = '&') => Id is null ? "" : $"{separator}account={Uri.EscapeDataString(Id)}";
}
