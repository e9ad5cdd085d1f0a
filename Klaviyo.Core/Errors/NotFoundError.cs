namespace Klaviyo.Core.Errors;

/// <summary>An id that names nothing stored.</summary>
public sealed class NotFoundError(string message) : AppError(message, ErrorCodes.NotFound);
