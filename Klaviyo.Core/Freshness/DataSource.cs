namespace Klaviyo.Core.Freshness;

/// <summary>Where an answer came from (DESIGN.md, "Freshness semantics").</summary>
public enum DataSource
{
    /// <summary>Computed now from the database while every entity it reads syncs successfully.</summary>
    Live,
    /// <summary>Served from the cache within its duration, sync healthy.</summary>
    Cache,
    /// <summary>The live path is failing and this is the last good copy.</summary>
    Fallback,
}
