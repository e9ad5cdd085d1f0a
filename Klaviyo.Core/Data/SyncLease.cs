namespace Klaviyo.Core.Data;

/// <summary>
/// The one row that says which instance syncs (<see cref="Coordination.LeaderLease"/>). Times are
/// the database's clock in Unix milliseconds, so no instance's clock decides who leads.
/// </summary>
public sealed class SyncLease
{
    public const int SingletonId = 1;

    public int Id { get; init; }
    public string? Holder { get; set; }
    public string? Address { get; set; }
    /// <summary>Goes up each time another instance takes the lease: writes carry it, and a deposed leader's no longer match.</summary>
    public long Epoch { get; set; }
    public long ExpiresAtMs { get; set; }
}
