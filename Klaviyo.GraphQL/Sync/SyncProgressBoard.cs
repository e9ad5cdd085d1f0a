using System.Collections.Concurrent;
using Klaviyo.GraphQL.Data;
using Klaviyo.GraphQL.Sync.Events;

namespace Klaviyo.GraphQL.Sync;

/// <summary>The latest progress of every running entity, fed by the event bus, so <c>syncStatus</c> can show it.</summary>
public sealed class SyncProgressBoard : IDisposable
{
    private readonly ConcurrentDictionary<SyncEntity, SyncProgressEvent> _running = new();
    private readonly IDisposable _progress;
    private readonly IDisposable _completed;

    public SyncProgressBoard(EventBus bus)
    {
        _progress = bus.Observe<SyncProgressEvent>().Subscribe(e => _running[e.Entity] = e);
        _completed = bus.Observe<SyncRun>().Subscribe(run =>
        {
            foreach (var (entity, progress) in _running)
                if (progress.RunId == run.Id)
                    _running.TryRemove(entity, out _);
        });
    }

    public SyncProgressEvent? Of(SyncEntity entity) => _running.GetValueOrDefault(entity);

    public void Dispose()
    {
        _progress.Dispose();
        _completed.Dispose();
    }
}
