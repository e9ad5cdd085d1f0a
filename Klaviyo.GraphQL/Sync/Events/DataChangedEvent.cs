using Klaviyo.GraphQL.Data;

namespace Klaviyo.GraphQL.Sync.Events;

/// <summary>Published after a sync commits new data, once caches no longer hold the old copy.</summary>
public sealed record DataChangedEvent(IReadOnlyList<SyncEntity> Entities, DateTime LastUpdated, Guid? RunId, DateTime At);
