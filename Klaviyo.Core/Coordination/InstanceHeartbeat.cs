using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Coordination;

/// <summary>Renews this instance's presence (<see cref="InstanceRegistry"/>) every <see cref="CoordinationOptions.RenewEvery"/>; leaves on a graceful stop.</summary>
public sealed class InstanceHeartbeat(InstanceRegistry registry, IOptions<CoordinationOptions> options, TimeProvider time, ILogger<InstanceHeartbeat> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Present before the accounts' shells start, so their leases know their owners from the first renewal.
        await registry.RenewAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RenewEvery, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            await registry.RenewAsync(stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await registry.LeaveAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The row then ages out after a lease's TTL, as a killed instance's does.
            logger.LogDebug(e, "Could not remove this instance's presence");
        }
    }
}
