using Klaviyo.Core.Data;

namespace Klaviyo.Core.Errors;

public enum ApiErrorSource
{
    Klaviyo,
    Database,
    Cache,
    Sync,
}

/// <summary>An error on the live path, or (Resolved = true) the news that it stopped happening.</summary>
/// <param name="Message">What a marketer can act on.</param>
/// <param name="Detail">What a developer can debug with; never a secret.</param>
public sealed record ApiErrorEvent(ApiErrorSource Source, string Code, string Message, string? Detail, SyncEntity? Entity, bool Resolved, DateTime At);
