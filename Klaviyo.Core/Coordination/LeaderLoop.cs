using System.Threading.Channels;

namespace Klaviyo.Core.Coordination;

/// <summary>
/// A background job that works on the sync leader only (so two instances never decide or send
/// twice): it runs, waits for a wake-up or its interval, runs again. A failed run is logged and
/// the next one tries again; the loop only ends with the host.
/// </summary>
public abstract class LeaderLoop(LeaderLease lease, ILogger logger) : BackgroundService
{
    /// <summary>Who leads; a run's writes are fenced with it.</summary>
    protected LeaderLease Lease { get; } = lease;

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Off: the loop never starts.</summary>
    protected abstract bool Enabled { get; }

    /// <summary>The longest wait between two runs.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What a failure's log line calls the work ("Alert evaluation").</summary>
    protected abstract string Work { get; }

    /// <summary>Runs soon (something changed that the work reads).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Once, before the first run (subscriptions, waiting for the server to listen).</summary>
    protected virtual Task StartingAsync(CancellationToken stoppingToken) => Task.CompletedTask;

    /// <summary>One run on the leader; answers how soon to run again when sooner than <see cref="Interval"/>.</summary>
    protected abstract Task<TimeSpan?> RunAsync(CancellationToken stoppingToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
            return;
        await StartingAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan? next = null;
            if (Lease.IsLeader)
            {
                try
                {
                    next = await RunAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("{Work} failed: {Error}", Work, e.Message);
                }
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(next is { } n && n < Interval ? n : Interval);
            try
            {
                await _wake.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
            }
        }
    }
}
