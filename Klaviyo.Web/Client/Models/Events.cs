namespace Klaviyo.Web.Client.Models;

public sealed record DataChangedData(DataChanged DataChanged);

/// <summary>The sync wrote <see cref="Records"/> records of these entities (the server's caches are already evicted).</summary>
public sealed record DataChanged(IReadOnlyList<SyncEntity> Entities, DateTime LastUpdated, string? RunId, DateTime At, long Records);

public sealed record SyncCompletedData(SyncCompleted SyncCompleted);

/// <summary>A run ended (SUCCEEDED, FAILED or CANCELLED).</summary>
public sealed record SyncCompleted(string Id, IReadOnlyList<SyncEntity> Entities, string Outcome, string? Error);

public sealed record ApiErrorsData(ApiErrorEvent ApiErrors);

/// <summary>An error on the server's live path, or (Resolved) the news that it stopped.</summary>
public sealed record ApiErrorEvent(string Source, string Code, string Message, string? Detail, SyncEntity? Entity, bool Resolved, DateTime At);
