using Klaviyo.Web.Client.Models;

namespace Klaviyo.Web.Client;

/// <summary>
/// Follows sync runs to their end through the <c>syncCompleted</c> push: created before the runs are
/// started, so none can end unheard. The runs' current outcomes are read once after subscribing (a run
/// joined may have ended before), and every second while the push channel is down.
/// </summary>
public sealed class RunWatch : IDisposable
{
    private readonly LiveUpdates _live;
    private readonly LiveFeed _feed;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _ended = [];
    private TaskCompletionSource? _changed;

    /// <param name="feed">The pushes of the account whose runs are watched.</param>
    public RunWatch(LiveUpdates live, LiveFeed feed)
    {
        (_live, _feed) = (live, feed);
        _feed.Completed += OnCompleted;
    }

    /// <summary>Waits until every one of <paramref name="runs"/> has ended.</summary>
    /// <param name="recent">The latest runs' outcomes (RUNNING while going): asked once, for runs that ended before the watch heard.</param>
    /// <returns>False when some were still running after <paramref name="atMost"/>.</returns>
    public async Task<bool> WaitAsync(IReadOnlyCollection<string> runs, TimeSpan atMost, Func<Task<IReadOnlyList<SyncRunsSyncRun>>> recent)
    {
        if (runs.Count == 0)
            return true;
        await ReadAsync(recent);
        var deadline = DateTime.UtcNow + atMost;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (runs.All(_ended.Contains))
                    return true;
                changed = (_changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                return false;
            var connected = _live.Connected;
            try
            {
                await changed.WaitAsync(connected ? left : TimeSpan.FromSeconds(Math.Min(1, left.TotalSeconds)));
            }
            catch (TimeoutException) when (!connected)
            {
                await ReadAsync(recent); // no pushes are coming
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
    }

    private async Task ReadAsync(Func<Task<IReadOnlyList<SyncRunsSyncRun>>> recent)
    {
        foreach (var run in await recent())
        {
            if (run.Outcome != SyncRunOutcome.Running)
                Ended(run.Id);
        }
    }

    private void OnCompleted(SyncCompletedSyncRun run) => Ended(run.Id);

    private void Ended(string run)
    {
        TaskCompletionSource? changed;
        lock (_gate)
        {
            _ended.Add(run);
            (changed, _changed) = (_changed, null);
        }
        changed?.TrySetResult();
    }

    public void Dispose() => _feed.Completed -= OnCompleted;
}
