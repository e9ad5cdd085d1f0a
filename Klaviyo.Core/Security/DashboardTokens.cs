using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Klaviyo.Core.Security;

/// <summary>
/// Short-lived bearer tokens with which the dashboard (Blazor, server side) calls the API on behalf
/// of its signed-in user: the user's name, id, security stamp, highest role and the accounts it is limited to, protected by Data
/// Protection and valid for a few minutes. Only a process that shares the Data Protection keys can
/// mint or read them; <see cref="BearerCredentials"/> refuses one whose stamp no longer matches the
/// account (a role change, a lock, a delete), so a circuit cannot outlive its user's rights.
/// </summary>
public sealed class DashboardTokens(IDataProtectionProvider protection, CredentialStamp stamp, TimeProvider time)
{
    public const string Scheme = "kdt_";
    public const string AuthenticationType = "Dashboard";
    /// <summary>The method of the dashboard process's own principal (no user behind it).</summary>
    public const string ServiceMethod = "service";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Klaviyo.DashboardToken").ToTimeLimitedDataProtector();

    private sealed record Ticket(string Name, string Role, string Method, string? UserId = null, string? Stamp = null, IReadOnlyDictionary<string, string>? Accounts = null);

    /// <summary>A token for <paramref name="user"/>, or null when the user holds no role.</summary>
    public string? Mint(ClaimsPrincipal user)
    {
        if (Roles.Highest(user) is not { } role)
            return null;
        var (userId, securityStamp) = stamp.Of(user);
        var ticket = new Ticket(user.Identity?.Name ?? "dashboard", role, user.FindFirstValue(KlaviyoClaims.Method) ?? "dashboard", userId, securityStamp,
            AccountAccess.Of(user).AccountRoles);
        return Scheme + _protector.Protect(JsonSerializer.Serialize(ticket), time.GetUtcNow().Add(Lifetime));
    }

    /// <summary>The dashboard process itself (its push socket, its warm-up): a Viewer named "dashboard".</summary>
    public string MintService() => Mint(KlaviyoClaims.Principal("dashboard", Roles.Viewer, ServiceMethod, AuthenticationType))!;

    /// <summary>The token's principal when it is genuine and unexpired; whether its user still holds it is <see cref="CredentialCheck"/>'s question.</summary>
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
            if (ticket is null || Roles.Normalize(ticket.Role) is not { } role)
                return null;
            Claim[] account = ticket is { UserId: { } id, Stamp: { } s } ? [.. stamp.Claims(id, s)] : [];
            Claim[] accounts = ticket.Accounts is { } roles ? [.. AccountAccess.Claims(roles)] : [];
            return KlaviyoClaims.Principal(ticket.Name, role, ticket.Method, AuthenticationType, [.. account, .. accounts]);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }
}
