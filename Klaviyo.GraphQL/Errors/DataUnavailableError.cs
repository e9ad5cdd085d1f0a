using GraphQL;

namespace Klaviyo.GraphQL.Errors;

/// <summary>
/// A read failed and there was no good copy to fall back on. Carries the classification's code and
/// marketer-facing message; <c>extensions.detail</c> says what failed for a developer.
/// </summary>
public sealed class DataUnavailableError : ExecutionError
{
    public DataUnavailableError(ErrorClassifier.Classified error) : base(error.Message)
    {
        Code = error.Code;
        Detail = error.Detail;
    }

    public string Detail { get; }
}
