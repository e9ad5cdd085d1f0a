using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Klaviyo.GraphQL.Security;

/// <summary>
/// Short-lived bearer tokens with which the dashboard (Blazor, server side) calls the API on behalf
/// of its signed-in user: the user's name and highest role, protected by Data Protection and valid
/// for a few minutes. Only a process that shares the Data Protection keys can mint or read them.
/// </summary>
public sealed class DashboardTokens(IDataProtectionProvider protection, TimeProvider time)
{
    public const string Scheme = "kdt_";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Klaviyo.DashboardToken").ToTimeLimitedDataProtector();

    private sealed record Ticket(string Name, string Role, string Method);

    /// <summary>A token for <paramref name="user"/>, or null when the user holds no role.</summary>
    public string? Mint(ClaimsPrincipal user)
    {
        if (Roles.Highest(user) is not { } role)
            return null;
        var ticket = new Ticket(user.Identity?.Name ?? "dashboard", role, user.FindFirstValue(KlaviyoClaims.Method) ?? "dashboard");
        return Scheme + _protector.Protect(JsonSerializer.Serialize(ticket), time.GetUtcNow().Add(Lifetime));
    }

    /// <summary>The dashboard process itself (its push socket, its warm-up): a Viewer named "dashboard".</summary>
    public string MintService() => Mint(KlaviyoClaims.Principal("dashboard", Roles.Viewer, "dashboard", "Dashboard"))!;

    public ClaimsPrincipal? Read(string token)
    {
        if (!token.StartsWith(Scheme, StringComparison.Ordinal))
            return null;
        try
        {
            var json = _protector.Unprotect(token[Scheme.Length..], out var expiration);
            if (expiration < time.GetUtcNow())
                return null;
            var ticket = JsonSerializer.Deserialize<Ticket>(json);
            return ticket is null || Roles.Normalize(ticket.Role) is not { } role ? null : KlaviyoClaims.Principal(ticket.Name, role, ticket.Method, "Dashboard");
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }
}
