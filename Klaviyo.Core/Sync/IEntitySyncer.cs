using Klaviyo.Core.Data;

namespace Klaviyo.Core.Sync;

/// <summary>Brings one entity up to date with Klaviyo, committing each page with its checkpoint.</summary>
public interface IEntitySyncer
{
    SyncEntity Entity { get; }

    Task SyncAsync(SyncContext context, CancellationToken cancellationToken);
}
