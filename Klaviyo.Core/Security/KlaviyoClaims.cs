using System.Security.Claims;

namespace Klaviyo.Core.Security;

/// <summary>The principals this app builds itself: API keys, dashboard tokens, anonymous callers.</summary>
public static class KlaviyoClaims
{
    /// <summary>How the caller proved who they are: password, oidc, apikey, anonymous.</summary>
    public const string Method = "klaviyo:method";
    public const string ApiKeyId = "klaviyo:apikey";
    /// <summary>One per account a limited caller may see: "{accountId}={Role}" (see <see cref="AccountAccess"/>).</summary>
    public const string Account = "klaviyo:account";

    /// <summary>A principal named <paramref name="name"/>; its <see cref="ClaimTypes.NameIdentifier"/> is the name unless <paramref name="extra"/> names the account (a user id).</summary>
    public static ClaimsPrincipal Principal(string name, string role, string method, string authenticationType, params Claim[] extra) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), .. extra.Any(c => c.Type == ClaimTypes.NameIdentifier) ? Array.Empty<Claim>() : [new Claim(ClaimTypes.NameIdentifier, name)],
                new Claim(Method, method), .. Roles.Claims(role), .. extra],
            authenticationType, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>Anonymous callers when the mode serves them: authenticated as "anonymous" so that every check downstream is one check.</summary>
    public static ClaimsPrincipal Anonymous(string role) => AnonymousByRole.GetOrAdd(role, r => Principal("anonymous", r, "anonymous", "Anonymous"));

    // One per role, shared by every anonymous request (nothing mutates it after authentication ran).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ClaimsPrincipal> AnonymousByRole = new();

    public static bool IsAnonymous(ClaimsPrincipal user) => user.FindFirstValue(Method) == "anonymous" || user.Identity?.IsAuthenticated != true;

    /// <summary>The key rate limits and socket caps count by: the user or key, else the IP address.</summary>
    public static string Partition(HttpContext http) => Partition(http.User, http.Connection.RemoteIpAddress?.ToString());

    public static string Partition(ClaimsPrincipal user, string? remoteIp) =>
        user.Identity?.IsAuthenticated == true && user.FindFirstValue(Method) != "anonymous"
            ? "user:" + (user.FindFirstValue(ApiKeyId) ?? user.Identity.Name)
            : "ip:" + remoteIp;
}
