using Klaviyo.Core.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Klaviyo.Web.Account;

/// <summary>Password sign-in and sign-out: form posts with antiforgery tokens, rate limited per IP address, lockout per account.</summary>
public static class AccountEndpoints
{
    public sealed record SignInForm(string? Email, string? Password, string? ReturnUrl);

    public static IHostApplicationBuilder AddDashboardAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, DashboardAuthenticationState>();
        return builder;
    }

    public static WebApplication MapAccountEndpoints(this WebApplication app)
    {
        var account = app.MapGroup("/account");
        account.MapPost("/login", SignInAsync).RequireRateLimiting(SecurityServiceCollectionExtensions.SignInRateLimit);
        account.MapPost("/logout", async (SignInManager<IdentityUser> signIn, HttpContext http, ILoggerFactory loggers) =>
        {
            // The antiforgery middleware only records its verdict when nothing binds the form.
            if (http.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
                return Results.BadRequest();
            var name = http.User.Identity?.Name;
            await signIn.SignOutAsync();
            loggers.CreateLogger(typeof(AccountEndpoints)).LogInformation("{User} signed out", name);
            return Results.Redirect(SessionCookie.LoginPath);
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());
        return app;
    }

    private static async Task<IResult> SignInAsync([FromForm] SignInForm form, SignInManager<IdentityUser> signIn, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(AccountEndpoints));
        var returnUrl = OidcSignIn.LocalUrl(form.ReturnUrl);
        string Back(string error) => $"{SessionCookie.LoginPath}?error={error}&returnUrl={Uri.EscapeDataString(returnUrl)}";
        if (string.IsNullOrWhiteSpace(form.Email) || string.IsNullOrEmpty(form.Password))
            return Results.Redirect(Back("missing"));
        var result = await signIn.PasswordSignInAsync(form.Email.Trim(), form.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            logger.LogInformation("{User} signed in", form.Email);
            return Results.Redirect(returnUrl);
        }
        logger.LogWarning("Sign-in refused for {User} ({Reason})", form.Email, result.IsLockedOut ? "locked out" : "wrong e-mail or password");
        return Results.Redirect(Back(result.IsLockedOut ? "locked" : "invalid"));
    }
}
