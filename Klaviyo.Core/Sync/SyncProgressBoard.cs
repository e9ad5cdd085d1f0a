using System.Collections.Concurrent;
using Klaviyo.Core.Data;
using Klaviyo.Core.Sync.Events;

namespace Klaviyo.Core.Sync;

/// <summary>
/// The latest progress of every running entity, fed by the event bus from start-up on, so
/// <c>syncStatus</c> can show it. A hosted service so that it listens before the first query.
/// </summary>
public sealed class SyncProgressBoard(EventBus bus) : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<SyncEntity, SyncProgressEvent> _running = new();
    private IDisposable? _progress;
    private IDisposable? _completed;

    public SyncProgressEvent? Of(SyncEntity entity) => _running.GetValueOrDefault(entity);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _progress = bus.Observe<SyncProgressEvent>().Subscribe(e => _running[e.Entity] = e);
        _completed = bus.Observe<SyncRun>().Subscribe(run =>
        {
            foreach (var (entity, progress) in _running)
                if (progress.RunId == run.Id)
                    _running.TryRemove(entity, out _);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _progress?.Dispose();
        _completed?.Dispose();
    }
}
