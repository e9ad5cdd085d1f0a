namespace Klaviyo.Core.Data;

/// <summary>
/// A key an external tool sends as <c>Authorization: Bearer kda_…</c>. Only a SHA-256 hash of the
/// secret is stored (keys are 256 random bits, so a slow password hash adds nothing); the short
/// public <see cref="Prefix"/> finds the row without scanning.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; init; }
    public required string Name { get; set; }
    public required string Prefix { get; init; }
    public required byte[] Hash { get; init; }
    public required string Role { get; set; }
    public required string CreatedBy { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }

    /// <summary>The accounts the key may read, comma-separated ids; null for every account (see <c>AccountAccess</c>).</summary>
    public string? AccountIds { get; init; }

    public IReadOnlyList<string>? Accounts => AccountIds is null ? null : AccountsOf(AccountIds);

    /// <summary>The ids in a stored <see cref="AccountIds"/> (for a query that reads the column alone).</summary>
    public static IReadOnlyList<string> AccountsOf(string accountIds) => accountIds.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
