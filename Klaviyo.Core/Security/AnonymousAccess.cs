namespace Klaviyo.Core.Security;

/// <summary>
/// Where the mode serves anonymous callers (loopback with no authentication configured, or
/// Security:AllowAnonymous), a caller who sent no credential becomes the "anonymous" principal with
/// the mode's role, so every check after this one is the same role check. In loopback mode that is
/// the local Admin, so only a caller on this machine gets it (<see cref="LocalCaller"/>: a loopback
/// peer that was not relayed by a proxy); anyone else stays unauthenticated (401). A bearer
/// credential that failed stays a failure (401), never silently anonymous.
/// </summary>
public static class AnonymousAccess
{
    public static Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        var mode = http.RequestServices.GetRequiredService<SecurityMode>();
        if (http.User.Identity?.IsAuthenticated != true
            && mode.AnonymousRole is { } role
            && (!mode.LoopbackOnly || LocalCaller.IsLocal(http))
            && BearerCredentials.TokenOf(http.Request.Headers.Authorization) is null)
            http.User = KlaviyoClaims.Anonymous(role);
        return next();
    }
}
