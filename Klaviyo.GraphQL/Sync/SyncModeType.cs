using GraphQL.Types;

namespace Klaviyo.GraphQL.Sync;

public sealed class SyncModeType : EnumerationGraphType<SyncMode>
{
    public SyncModeType()
    {
        Name = "SyncMode";
        Description = "INCREMENTAL reads what changed since the cursor; FULL reads everything again.";
    }
}
