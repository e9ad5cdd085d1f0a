using Klaviyo.Core.Data;

namespace Klaviyo.Core.Sync.Events;

/// <summary>Published after every page a sync run commits.</summary>
/// <param name="Total">Records expected in all, when Klaviyo or the cursor window tells us.</param>
/// <param name="Rate">Records per second so far.</param>
/// <param name="Eta">When the run should finish at this rate; null while the total is unknown.</param>
public sealed record SyncProgressEvent(Guid RunId, SyncEntity Entity, long Processed, long? Total, int Pages, double Rate, DateTime? Eta, DateTime At);
