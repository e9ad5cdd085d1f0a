using GraphQL;

namespace Klaviyo.GraphQL.GraphQL.Errors;

public sealed class NotFoundError : ExecutionError
{
    public NotFoundError(string message) : base(message) => Code = ErrorCodes.NotFound;
}
