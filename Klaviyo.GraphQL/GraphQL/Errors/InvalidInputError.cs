using GraphQL;

namespace Klaviyo.GraphQL.GraphQL.Errors;

/// <summary>Thrown by resolvers for arguments the schema accepts but the product does not (a page size of 0, a forged cursor).</summary>
public sealed class InvalidInputError : ExecutionError
{
    public InvalidInputError(string message, string code = ErrorCodes.InvalidInput) : base(message) => Code = code;
}
