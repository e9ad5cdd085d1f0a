using System.Diagnostics;
using Klaviyo.Core.Data;
using Klaviyo.Core.Sync.Events;

namespace Klaviyo.Core.Sync;

/// <summary>
/// Publishes <c>dataChanged</c> at most once a second per entity: every open dashboard refetches on
/// it, so a burst of small runs (manual starts, a busy event stream) is one event carrying the sum
/// of what they wrote, sent when the second is up. Paced by the real clock (it paces real load),
/// not the app's <see cref="TimeProvider"/>, which tests stop.
/// </summary>
public sealed class DataChangePublisher(EventBus bus, TimeProvider time)
{
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<SyncEntity, long> _lastSent = [];
    private readonly Dictionary<SyncEntity, Pending> _pending = [];

    private sealed class Pending(DateTime lastUpdated, Guid? runId, long records)
    {
        public DateTime LastUpdated = lastUpdated;
        public Guid? RunId = runId;
        public long Records = records;
    }

    /// <summary>A sync (<paramref name="runId"/>) or a webhook delivery (null) of <paramref name="entity"/> wrote <paramref name="records"/> records, caches already evicted.</summary>
    public void Changed(SyncEntity entity, long records, DateTime lastUpdated, Guid? runId)
    {
        lock (_gate)
        {
            if (_pending.TryGetValue(entity, out var pending))
            {
                // Already waiting for its second: this run joins that event.
                (pending.LastUpdated, pending.RunId, pending.Records) = (lastUpdated, runId, pending.Records + records);
                return;
            }
            var wait = _lastSent.TryGetValue(entity, out var sent) ? MinimumInterval - Stopwatch.GetElapsedTime(sent) : TimeSpan.Zero;
            if (wait > TimeSpan.Zero)
            {
                _pending[entity] = new Pending(lastUpdated, runId, records);
                _ = SendLaterAsync(entity, wait);
                return;
            }
            _lastSent[entity] = Stopwatch.GetTimestamp();
        }
        Send(entity, records, lastUpdated, runId);
    }

    private async Task SendLaterAsync(SyncEntity entity, TimeSpan wait)
    {
        await Task.Delay(wait);
        Pending pending;
        lock (_gate)
        {
            if (!_pending.Remove(entity, out pending!))
                return;
            _lastSent[entity] = Stopwatch.GetTimestamp();
        }
        Send(entity, pending.Records, pending.LastUpdated, pending.RunId);
    }

    private void Send(SyncEntity entity, long records, DateTime lastUpdated, Guid? runId) =>
        bus.Publish(new DataChangedEvent([entity], lastUpdated, runId, time.GetUtcNow().UtcDateTime, records));
}
