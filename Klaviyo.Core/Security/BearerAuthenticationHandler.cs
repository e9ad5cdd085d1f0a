using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Security;

/// <summary><c>Authorization: Bearer …</c> with an API key or a dashboard token.</summary>
public sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    BearerCredentials credentials) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerCredentials.TokenOf(Request.Headers.Authorization) is not { Length: > 0 } token)
            return AuthenticateResult.NoResult();
        var principal = await credentials.AuthenticateAsync(token, Context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail("The API key or token is unknown, expired or revoked.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
