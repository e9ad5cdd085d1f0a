namespace Klaviyo.Core.Errors;

/// <summary>Arguments the schema accepts but the product does not (a page size of 0, a forged cursor).</summary>
public sealed class InvalidInputError(string message, string code = ErrorCodes.InvalidInput) : AppError(message, code);
