using System.Security.Claims;

namespace Klaviyo.Core.Security;

/// <summary>
/// The three roles, each including the one below it: a Viewer reads and subscribes; an Operator
/// also refreshes, starts and cancels syncs; an Admin also manages users, API keys, sandbox faults
/// and reads the expensive diagnostics.
/// </summary>
public static class Roles
{
    public const string Viewer = "Viewer";
    public const string Operator = "Operator";
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Viewer, Operator, Admin];

    /// <summary>The role as spelled here, or null when it is not one of ours (case-insensitive).</summary>
    public static string? Normalize(string? role) => All.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase));

    /// <summary>The role and every role it includes (Admin → Admin, Operator, Viewer).</summary>
    public static IEnumerable<string> Implied(string role) => role switch
    {
        Admin => [Admin, Operator, Viewer],
        Operator => [Operator, Viewer],
        Viewer => [Viewer],
        _ => [],
    };

    /// <summary>The highest role the principal holds, or null.</summary>
    public static string? Highest(ClaimsPrincipal user) =>
        user.IsInRole(Admin) ? Admin : user.IsInRole(Operator) ? Operator : user.IsInRole(Viewer) ? Viewer : null;

    /// <summary>The lower of two roles.</summary>
    public static string Lower(string a, string b) => Implied(b).Contains(a) ? a : b;

    /// <summary>Role claims for <paramref name="role"/> and those it includes.</summary>
    public static IEnumerable<Claim> Claims(string role) => Implied(role).Select(r => new Claim(ClaimTypes.Role, r));
}
