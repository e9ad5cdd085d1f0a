using GraphQL.Types;

namespace Klaviyo.GraphQL.Sync;

public enum SyncMode
{
    /// <summary>From each entity's cursor: only what changed.</summary>
    Incremental,
    /// <summary>Everything again, ignoring cursors; upserts make it harmless.</summary>
    Full,
}

public sealed class SyncModeType : EnumerationGraphType<SyncMode>
{
    public SyncModeType()
    {
        Name = "SyncMode";
        Description = "INCREMENTAL reads what changed since the cursor; FULL reads everything again.";
    }
}
