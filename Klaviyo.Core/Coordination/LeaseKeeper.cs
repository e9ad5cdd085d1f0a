using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Coordination;

/// <summary>Renews (or tries to take) the sync lease every <see cref="CoordinationOptions.RenewEvery"/>; releases it on a graceful stop.</summary>
public sealed class LeaseKeeper(LeaderLease lease, IOptions<CoordinationOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!lease.Enabled)
            return;
        using var timer = new PeriodicTimer(options.Value.RenewEvery, time);
        do
        {
            await lease.RenewAsync(stoppingToken);
            lease.CheckValidity();
        } while (await timer.WaitForNextTickAsync(stoppingToken));
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
