namespace Klaviyo.Core.Errors;

/// <summary>An answer made only of numbers whose data has never synced: an error with a code, not a series of made-up zeros.</summary>
public sealed class NotYetSyncedError(string message) : AppError(message, ErrorCodes.NotYetSynced);
