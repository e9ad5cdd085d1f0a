using Klaviyo.Core.Data;

namespace Klaviyo.Core.Errors;

/// <summary>An error that is happening now: since when, how often, and the last time it was seen.</summary>
public sealed record CurrentError(ApiErrorSource Source, string Code, string Message, string? Detail, SyncEntity? Entity, DateTime Since, DateTime LastSeen, int Occurrences);
