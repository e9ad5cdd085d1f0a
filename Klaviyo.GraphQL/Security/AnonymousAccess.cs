namespace Klaviyo.GraphQL.Security;

/// <summary>
/// Where the mode serves anonymous callers (loopback with no authentication configured, or
/// Security:AllowAnonymous), a caller who sent no credential becomes the "anonymous" principal with
/// the mode's role, so every check after this one is the same role check. A bearer credential that
/// failed stays a failure (401), never silently anonymous.
/// </summary>
public static class AnonymousAccess
{
    public static Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        if (http.User.Identity?.IsAuthenticated != true
            && http.RequestServices.GetRequiredService<SecurityMode>().AnonymousRole is { } role
            && BearerCredentials.TokenOf(http.Request.Headers.Authorization) is null)
            http.User = KlaviyoClaims.Anonymous(role);
        return next();
    }
}
