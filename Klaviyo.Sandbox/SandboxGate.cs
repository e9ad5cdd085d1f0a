using System.Text.RegularExpressions;

namespace Klaviyo.Sandbox;

/// <summary>
/// What every sandbox endpoint does before its own work, in Klaviyo's order: injected faults,
/// the API key, the revision header, then the tier's rate limit (429 with Retry-After only;
/// RateLimit-* headers on everything else).
/// </summary>
public sealed partial class SandboxGate(RateTier tier) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var faults = services.GetRequiredService<SandboxFaultSwitch>().Current;
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SandboxOptions>>().Value;

        if (faults.LatencyMs > 0)
            await Task.Delay(faults.LatencyMs, http.RequestAborted);
        var authorization = http.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Klaviyo-API-Key ", StringComparison.Ordinal))
            return SandboxErrors.NotAuthenticated();
        if (faults.InvalidKey || authorization["Klaviyo-API-Key ".Length..].Trim() != options.ApiKey || Revoked(services, options))
            return SandboxErrors.AuthenticationFailed();
        if (faults.Outage)
            return SandboxErrors.ServerError(503);
        if (faults.ForceThrottle)
            return Throttle(http, faults.ThrottleRetryAfterSeconds);
        if (faults.ErrorRate > 0 && Random.Shared.NextDouble() < faults.ErrorRate)
            return SandboxErrors.ServerError(Random.Shared.Next(2) == 0 ? 500 : 503);
        if (!Revision().IsMatch(http.Request.Headers["revision"].ToString()))
            return SandboxErrors.Invalid("Missing or invalid revision header: send 'revision: YYYY-MM-DD'.", "revision");

        var (remaining, reset) = (tier.Steady, 60);
        if (options.RateLimits && services.GetRequiredService<SandboxRateLimiter>().TryAcquire(tier, out remaining, out reset) is int seconds)
            return Throttle(http, seconds);
        http.Response.Headers["RateLimit-Limit"] = tier.Steady.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Remaining"] = remaining.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Reset"] = reset.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (faults.MalformedJson)
            return Results.Text("{\"data\": [{\"type\": \"trunc", JsonApi.MediaType);
        return await next(context);
    }

    private static bool Revoked(IServiceProvider services, SandboxOptions options) =>
        options.RevokeAfter is { } after
        && services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime - services.GetRequiredService<SandboxTimeline>().StartedAt >= after;

    private static IResult Throttle(HttpContext http, int seconds)
    {
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return SandboxErrors.Throttled(seconds);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$")]
    private static partial Regex Revision();
}
