namespace Klaviyo.GraphQL.Security;

/// <summary>
/// Where the mode serves anonymous callers (loopback with no authentication configured, or
/// Security:AllowAnonymous), a caller who sent no credential becomes the "anonymous" principal with
/// the mode's role, so every check after this one is the same role check.
/// </summary>
public static class AnonymousAccess
{
    public static Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        if (http.User.Identity?.IsAuthenticated != true
            && http.RequestServices.GetRequiredService<SecurityMode>().AnonymousRole is { } role
            && string.IsNullOrEmpty(http.Request.Headers.Authorization))
            http.User = KlaviyoClaims.Anonymous(role);
        return next();
    }
}
