using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Security;

/// <summary>
/// Single sign-on: the authorization code flow with PKCE against Security:Oidc:Authority. A user
/// who comes back is matched to a local account by their provider subject; an existing account is
/// linked by e-mail only when the provider says the address is verified; otherwise one is created on
/// first sign-in, and given the role the claim mapping says (again at every sign-in, so the provider stays
/// the source of truth); then they hold the same session cookie as a password user.
/// </summary>
public static class OidcSignIn
{
    public const string Scheme = "oidc";
    public const string StartPath = "/account/external";
    private const string CallbackPath = "/account/external-callback";

    public static AuthenticationBuilder AddKlaviyoOidc(this AuthenticationBuilder builder, OidcOptions oidc) =>
        builder.AddOpenIdConnect(Scheme, oidc.DisplayName, o =>
        {
            o.Authority = oidc.Authority;
            o.ClientId = oidc.ClientId;
            o.ClientSecret = oidc.ClientSecret;
            o.ResponseType = "code";
            o.ResponseMode = "query";
            o.UsePkce = true;
            o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = true;
            o.SignInScheme = IdentityConstants.ExternalScheme;
            o.CallbackPath = "/signin-oidc";
            o.Scope.Clear();
            foreach (var scope in oidc.Scopes)
                o.Scope.Add(scope);
            o.TokenValidationParameters.NameClaimType = "email";
            o.TokenValidationParameters.RoleClaimType = oidc.RoleClaim;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

    /// <summary>The role the mapping gives these claims (the highest match), the default role, or null (refused).</summary>
    public static string? RoleFor(ClaimsPrincipal external, OidcOptions oidc)
    {
        var values = external.FindAll(oidc.RoleClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var mapped = oidc.RoleMap.Where(m => values.Contains(m.Key)).Select(m => Roles.Normalize(m.Value)).OfType<string>().ToList();
        return Roles.All.LastOrDefault(mapped.Contains) ?? Roles.Normalize(oidc.DefaultRole);
    }

    public static WebApplication MapOidcSignIn(this WebApplication app)
    {
        var oidc = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.Oidc;
        if (!oidc.Enabled)
            return app;
        app.MapGet(StartPath, (string? returnUrl) => Results.Challenge(
            new AuthenticationProperties { RedirectUri = $"{CallbackPath}?returnUrl={Uri.EscapeDataString(LocalUrl(returnUrl))}" }, [Scheme]));
        app.MapGet(CallbackPath, CallbackAsync);
        return app;
    }

    private static async Task<IResult> CallbackAsync(HttpContext http, string? returnUrl, UserManager<IdentityUser> users,
        SignInManager<IdentityUser> signIn, UserAccounts accounts, IOptions<SecurityOptions> options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(OidcSignIn));
        var external = await http.AuthenticateAsync(IdentityConstants.ExternalScheme);
        await http.SignOutAsync(IdentityConstants.ExternalScheme);
        if (!external.Succeeded || external.Principal.FindFirstValue("sub") is not { Length: > 0 } subject)
            return Results.Redirect($"{SessionCookie.LoginPath}?error=external");
        var claimedEmail = external.Principal.FindFirstValue("email");
        var emailVerified = string.Equals(external.Principal.FindFirstValue("email_verified"), "true", StringComparison.OrdinalIgnoreCase);
        var email = claimedEmail ?? $"{subject}@{Scheme}";
        if (RoleFor(external.Principal, options.Value.Oidc) is not { } role)
        {
            logger.LogWarning("Single sign-on refused {Email}: no claim maps to a role", email);
            return Results.Redirect($"{SessionCookie.LoginPath}?error=norole");
        }

        // The provider's subject is the identity. An existing local account is taken over by e-mail
        // only when the provider vouches for the address; a name the user typed never links anything.
        var user = await users.FindByLoginAsync(Scheme, subject);
        if (user is null && claimedEmail is not null && await users.FindByEmailAsync(claimedEmail) is { } existing)
        {
            if (!emailVerified)
            {
                logger.LogWarning("Single sign-on refused to link {Email}: an account has this e-mail and the provider did not verify it", claimedEmail);
                return Results.Redirect($"{SessionCookie.LoginPath}?error=unverified");
            }
            user = existing;
            logger.LogInformation("Single sign-on linked the provider's subject to the existing account {Email} (verified e-mail)", claimedEmail);
        }
        if (user is null)
        {
            user = await accounts.CreateAsync(email, password: null, role, http.RequestAborted);
            logger.LogInformation("Single sign-on created the account {Email} ({Role})", email, role);
        }
        if ((await users.GetLoginsAsync(user)).All(l => l.LoginProvider != Scheme))
            await users.AddLoginAsync(user, new UserLoginInfo(Scheme, subject, options.Value.Oidc.DisplayName));
        if (await users.IsLockedOutAsync(user))
            return Results.Redirect($"{SessionCookie.LoginPath}?error=locked");
        await accounts.SetRoleAsync(user, role);
        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: Scheme);
        logger.LogInformation("{Email} signed in with single sign-on as {Role}", email, role);
        // The session cookie is SameSite=Strict: a redirect at the end of the provider's cross-site
        // chain would arrive without it, so a same-site navigation from this page finishes the trip.
        var target = System.Net.WebUtility.HtmlEncode(LocalUrl(returnUrl));
        return Results.Content($"""<!doctype html><meta http-equiv="refresh" content="0;url={target}"><title>Signed in</title><a href="{target}">Continue</a>""", "text/html");
    }

    /// <summary>
    /// Only local paths are followed after sign-in (no open redirect), by <c>Url.IsLocalUrl</c>'s rules:
    /// one leading slash, not followed by another or by a backslash, and no control character anywhere
    /// (browsers drop tabs and newlines, so "/\t/evil.example" would become "//evil.example").
    /// </summary>
    public static string LocalUrl(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl) ? url : "/";
}
