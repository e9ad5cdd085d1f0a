using Microsoft.AspNetCore.Authentication.Cookies;

namespace Klaviyo.Core.Security;

/// <summary>The dashboard's session cookie: HttpOnly, SameSite=Strict, Secure on HTTPS; API paths answer 401/403 instead of redirecting to the sign-in page.</summary>
public static class SessionCookie
{
    public const string LoginPath = "/account/login";
    private static readonly string[] ApiPaths = ["/graphql", "/export", "/sandbox", "/health"];

    public static void Configure(CookieAuthenticationOptions o)
    {
        o.Cookie.Name = "klaviyo.session";
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.LoginPath = LoginPath;
        o.LogoutPath = "/account/logout";
        o.AccessDeniedPath = "/account/denied";
        o.ExpireTimeSpan = TimeSpan.FromHours(8);
        o.SlidingExpiration = true;
        o.Events.OnRedirectToLogin = context => Answer(context, StatusCodes.Status401Unauthorized);
        o.Events.OnRedirectToAccessDenied = context => Answer(context, StatusCodes.Status403Forbidden);
    }

    private static Task Answer(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsApi(context.Request))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>A request for the API rather than a page (the IDE's page under /graphql/ is a page).</summary>
    public static bool IsApi(HttpRequest request) =>
        ApiPaths.Any(p => request.Path.StartsWithSegments(p)) && !request.Path.StartsWithSegments("/graphql/", StringComparison.Ordinal);
}
