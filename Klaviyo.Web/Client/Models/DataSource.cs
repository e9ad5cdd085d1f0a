namespace Klaviyo.Web.Client.Models;

/// <summary>Where an answer came from: computed now (LIVE), a cached copy while healthy (CACHE), or the last good copy while something fails (FALLBACK).</summary>
public enum DataSource
{
    Live,
    Cache,
    Fallback,
}
