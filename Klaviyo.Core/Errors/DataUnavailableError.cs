namespace Klaviyo.Core.Errors;

/// <summary>
/// A read failed and there was no good copy to fall back on. Carries the classification's code and
/// marketer-facing message; <c>extensions.detail</c> says what failed for a developer (Development only).
/// </summary>
public sealed class DataUnavailableError(ErrorClassifier.Classified error) : AppError(error.Message, error.Code)
{
    public string Detail { get; } = error.Detail;
}
