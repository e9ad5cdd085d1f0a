using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Coordination;

/// <summary>
/// Renews (or tries to take) the sync lease every <see cref="CoordinationOptions.RenewEvery"/>; releases it
/// on a graceful stop. A follower tries again the moment the lease it read expires, and — for an account's
/// lease — the moment the account's owner changes, so a killed holder's lease passes within its TTL.
/// </summary>
public sealed class LeaseKeeper(LeaderLease lease, IOptions<CoordinationOptions> options, TimeProvider time, InstanceRegistry? registry = null) : BackgroundService
{
    private static readonly TimeSpan AfterExpiry = TimeSpan.FromMilliseconds(50);
    private CancellationTokenSource? _waiting;
    private int _woken;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!lease.Enabled)
            return;
        if (registry is not null)
            registry.OwnersChanged += Wake;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await lease.RenewAsync(stoppingToken);
                lease.CheckValidity();
                var wait = options.Value.RenewEvery;
                if (!lease.IsLeader && lease.ExpiresIn is { } expiresIn && expiresIn + AfterExpiry < wait)
                    wait = expiresIn + AfterExpiry;
                await WaitAsync(wait, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (registry is not null)
                registry.OwnersChanged -= Wake;
        }
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Volatile.Write(ref _waiting, waiting);
        // A change heard during the renewal just made may postdate what it read: try again at once.
        if (Interlocked.Exchange(ref _woken, 0) == 1)
        {
            Volatile.Write(ref _waiting, null);
            return;
        }
        try
        {
            await Task.Delay(wait, time, waiting.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Woken: the account's owner changed.
            Interlocked.Exchange(ref _woken, 0);
        }
        finally
        {
            Volatile.Write(ref _waiting, null);
        }
    }

    private void Wake()
    {
        Interlocked.Exchange(ref _woken, 1);
        try
        {
            Volatile.Read(ref _waiting)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The wait had just ended: the next renewal comes anyway.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (lease.Enabled)
        {
            try
            {
                await lease.ReleaseAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The lease then lapses after its TTL: the other instances wait that long, nothing worse.
            }
        }
    }
}
