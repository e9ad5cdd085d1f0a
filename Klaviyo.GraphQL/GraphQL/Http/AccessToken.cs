using System.Security.Cryptography;
using System.Text;

namespace Klaviyo.GraphQL.GraphQL.Http;

/// <summary>The optional shared token (GraphQL:AccessToken) that guards the API when it is exposed beyond localhost.</summary>
public static class AccessToken
{
    public static bool IsGranted(string? configured, string? authorization)
    {
        if (string.IsNullOrEmpty(configured))
            return true;
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return false;
        var offered = Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(offered, Encoding.UTF8.GetBytes(configured));
    }
}
