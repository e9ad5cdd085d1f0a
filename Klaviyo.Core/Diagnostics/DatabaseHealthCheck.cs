using Klaviyo.Core.Errors;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Klaviyo.Core.Diagnostics;

/// <summary>The database answers a round trip; the answer also raises or resolves the database error everyone else reads.</summary>
public sealed class DatabaseHealthCheck(DatabaseProbe database, ApiErrorBoard errors) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (reachable, latency, error) = await database.PingAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["provider"] = database.Provider, ["latencyMs"] = Math.Round(latency, 2) };
        if (reachable)
            errors.Resolve(ApiErrorSource.Database);
        else
            errors.Raise(ErrorClassifier.DatabaseUnavailable(error ?? "No answer."));
        return reachable
            ? HealthCheckResult.Healthy($"{database.Provider} answers.", data)
            : HealthCheckResult.Unhealthy($"{database.Provider} does not answer: {error}", data: data);
    }
}
