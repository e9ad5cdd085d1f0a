namespace Klaviyo.Web.Client.Models;

public sealed record DataChangedData(DataChanged DataChanged);

/// <summary>The sync committed new data for these entities.</summary>
public sealed record DataChanged(IReadOnlyList<SyncEntity> Entities, DateTime LastUpdated, string? RunId, DateTime At);

public sealed record ApiErrorsData(ApiErrorEvent ApiErrors);

/// <summary>An error on the server's live path, or (Resolved) the news that it stopped.</summary>
public sealed record ApiErrorEvent(string Source, string Code, string Message, string? Detail, SyncEntity? Entity, bool Resolved, DateTime At);
