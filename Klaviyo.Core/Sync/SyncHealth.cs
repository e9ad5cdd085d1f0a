namespace Klaviyo.Core.Sync;

/// <summary>An entity's sync state as the API reports it (GraphQL enum <c>SyncState</c>).</summary>
public enum SyncHealth
{
    OnTime,
    Late,
    Syncing,
    Failed,
    Never,
}
