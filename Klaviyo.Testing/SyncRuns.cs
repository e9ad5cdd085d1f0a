using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;

namespace Klaviyo.Testing;

public static class SyncRuns
{
    /// <summary>
    /// Starts a run of <paramref name="entities"/> and waits for it and for every run it joined (an entity
    /// already syncing is not started twice): when this returns, each entity has synced at least once since the call.
    /// </summary>
    public static async Task<SyncCoordinator.StartResult> StartAndWaitAsync(this SyncCoordinator coordinator, IReadOnlyCollection<SyncEntity> entities,
        SyncMode mode = SyncMode.Incremental, string trigger = "TEST", TimeSpan? timeout = null)
    {
        var started = await coordinator.StartAsync(entities, mode, trigger, CancellationToken.None);
        IEnumerable<Guid> runs = started.Run is { } run ? [run.Id, .. started.JoinedRuns] : started.JoinedRuns;
        // Minutes, not seconds: Klaviyo's Reporting tier allows 2 calls a minute, so report runs after another
        // sync's (4 calls for two metrics' campaign and flow reports) take two minutes, more on a loaded machine.
        await Task.WhenAll(runs.Select(coordinator.WhenFinishedAsync)).WaitAsync(timeout ?? TimeSpan.FromMinutes(5));
        return started;
    }
}
