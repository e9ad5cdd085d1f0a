using System.Security.Claims;

namespace Klaviyo.Core.Security;

/// <summary>Reads a bearer credential (an API key or a dashboard token) into a principal: the one check for HTTP headers and WebSocket connection_init.</summary>
public sealed class BearerCredentials(ApiKeyService keys, DashboardTokens tokens, CredentialCheck check)
{
    public const string AuthenticationType = "Bearer";

    /// <summary>
    /// The token of an <c>Authorization</c> value: "Bearer x"; with <paramref name="allowBare"/> also a
    /// bare token, as some WebSocket clients put it in connection_init. Other schemes (the sandbox's
    /// "Klaviyo-API-Key …") are not ours: null.
    /// </summary>
    public static string? TokenOf(string? authorization, bool allowBare = false)
    {
        if (string.IsNullOrWhiteSpace(authorization))
            return null;
        const string scheme = "Bearer ";
        if (authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return authorization[scheme.Length..].Trim();
        return allowBare && !authorization.Contains(' ') ? authorization.Trim() : null;
    }

    /// <summary>The caller, or null when the credential is unknown, expired or revoked.</summary>
    public async Task<ClaimsPrincipal?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        if (token.StartsWith(DashboardTokens.Scheme, StringComparison.Ordinal))
        {
            // Genuine and unexpired is not enough: the user it was minted for must still hold it.
            return tokens.Read(token) is { } principal && await check.StillValidAsync(principal, cancellationToken) ? principal : null;
        }
        if (await keys.ValidateAsync(token, cancellationToken) is not { } key)
            return null;
        Claim[] accounts = key.Accounts is { } ids ? [.. AccountAccess.Claims(ids.ToDictionary(id => id, _ => key.Role, StringComparer.Ordinal))] : [];
        return KlaviyoClaims.Principal($"key:{key.Name}", key.Role, "apikey", AuthenticationType, [new Claim(KlaviyoClaims.ApiKeyId, key.Id.ToString()), .. accounts]);
    }
}
