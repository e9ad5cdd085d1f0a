namespace Klaviyo.Web.Client;

/// <summary>How far a section's read goes for current data.</summary>
public enum Fetch
{
    /// <summary>The dashboard's own short cache may answer (navigation, paging back, a second tab).</summary>
    Cached,

    /// <summary>
    /// Past the dashboard's cache to the server's, which a sync has already evicted when it changed
    /// data: what a push asks for. Many dashboards asking at once cost the server one computation.
    /// </summary>
    Latest,

    /// <summary>forceFresh: the server recomputes (the Refresh button, after its runs).</summary>
    ForceFresh,
}
