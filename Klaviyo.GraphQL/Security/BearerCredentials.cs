using System.Security.Claims;

namespace Klaviyo.GraphQL.Security;

/// <summary>Reads a bearer credential (an API key or a dashboard token) into a principal: the one check for HTTP headers and WebSocket connection_init.</summary>
public sealed class BearerCredentials(ApiKeyService keys, DashboardTokens tokens)
{
    public const string AuthenticationType = "Bearer";

    /// <summary>The token of an <c>Authorization</c> value ("Bearer x", or a bare token as some WebSocket clients send it).</summary>
    public static string? TokenOf(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization))
            return null;
        const string scheme = "Bearer ";
        return (authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? authorization[scheme.Length..] : authorization).Trim();
    }

    /// <summary>The caller, or null when the credential is unknown, expired or revoked.</summary>
    public async Task<ClaimsPrincipal?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        if (token.StartsWith(DashboardTokens.Scheme, StringComparison.Ordinal))
            return tokens.Read(token);
        if (await keys.ValidateAsync(token, cancellationToken) is not { } key)
            return null;
        return KlaviyoClaims.Principal($"key:{key.Name}", key.Role, "apikey", AuthenticationType, new Claim(KlaviyoClaims.ApiKeyId, key.Id.ToString()));
    }
}
