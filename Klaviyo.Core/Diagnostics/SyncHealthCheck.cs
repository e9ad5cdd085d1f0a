using Klaviyo.Core.Errors;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Klaviyo.Core.Diagnostics;

/// <summary>
/// Degraded (still HTTP 200) while any entity's latest sync failed — Klaviyo down, key rejected,
/// rate-limited, the report budget spent: exactly when the last good copy should go on being served,
/// so a load balancer must not pull the instance. The reason is in the JSON.
/// </summary>
public sealed class SyncHealthCheck(ApiErrorBoard errors) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failing = errors.Current.Where(e => e.Entity is not null).ToList();
        if (failing.Count == 0)
            return Task.FromResult(HealthCheckResult.Healthy("Every entity's latest sync succeeded or is pending."));
        var data = failing.ToDictionary(e => e.Entity!.Value.ToString(), e => (object)e.Code);
        var codes = string.Join(", ", failing.Select(e => e.Code).Distinct());
        return Task.FromResult(HealthCheckResult.Degraded($"{failing.Count} entit{(failing.Count == 1 ? "y is" : "ies are")} failing: {codes}.", data: data));
    }
}
