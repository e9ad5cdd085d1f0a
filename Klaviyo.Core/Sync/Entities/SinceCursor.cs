namespace Klaviyo.Core.Sync.Entities;

/// <summary>An incremental cursor: the next run reads what changed after <paramref name="Since"/>.</summary>
public sealed record SinceCursor(DateTime? Since);
