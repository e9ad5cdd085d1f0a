using GraphQL.Types;
using Klaviyo.Core.Sync;

namespace Klaviyo.GraphQL.Sync;

public sealed class SyncModeType : EnumerationGraphType<SyncMode>
{
    public SyncModeType()
    {
        Name = "SyncMode";
        Description = "INCREMENTAL reads what changed since the cursor; FULL reads everything again.";
    }
}
