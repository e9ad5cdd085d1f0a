namespace Klaviyo.Core.Accounts;

/// <summary>
/// Who syncs a connected account, as this instance last read its lease: the holder, whether that is
/// this instance, the lease's epoch, and — coordinated, for an added account — the instance it is
/// assigned to (the holder once a hand-over or takeover has happened).
/// </summary>
public sealed record AccountLease(string AccountId, string? Holder, bool SyncedHere, long Epoch, string? Owner);
