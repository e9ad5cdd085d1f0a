using Klaviyo.Core.Data;

namespace Klaviyo.Core.Sync.Events;

/// <summary>Published after a sync wrote data, once caches no longer hold the old copy (at most once a second per entity).</summary>
/// <param name="Records">Records inserted, changed or deleted since the previous event for these entities.</param>
public sealed record DataChangedEvent(IReadOnlyList<SyncEntity> Entities, DateTime LastUpdated, Guid? RunId, DateTime At, long Records);
