using System.Threading.Channels;
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
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

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

    /// <summary>Waits <paramref name="wait"/>, or less when woken (a wake-up while renewing is kept for the next wait), as <see cref="LeaderLoop"/> does.</summary>
    private async Task WaitAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(wait, time);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            await _wake.Reader.ReadAsync(waiting.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The account's owner changed: try at once.</summary>
    private void Wake() => _wake.Writer.TryWrite(true);

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
