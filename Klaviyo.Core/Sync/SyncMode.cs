namespace Klaviyo.Core.Sync;

public enum SyncMode
{
    /// <summary>From each entity's cursor: only what changed.</summary>
    Incremental,
    /// <summary>Everything again, ignoring cursors; upserts make it harmless.</summary>
    Full,
}
