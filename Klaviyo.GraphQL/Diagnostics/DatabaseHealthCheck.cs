using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Klaviyo.GraphQL.Diagnostics;

public sealed class DatabaseHealthCheck(DatabaseProbe database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (reachable, latency, error) = await database.PingAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["provider"] = database.Provider, ["latencyMs"] = Math.Round(latency, 2) };
        return reachable
            ? HealthCheckResult.Healthy($"{database.Provider} answers.", data)
            : HealthCheckResult.Unhealthy($"{database.Provider} does not answer: {error}", data: data);
    }
}
