using System.Data.Common;
using GraphQL;
using GraphQL.Execution;

namespace Klaviyo.GraphQL.GraphQL.Errors;

/// <summary>
/// Gives every error an <c>extensions.code</c> a client can switch on, and hides exception
/// details (messages, stack traces) outside Development.
/// </summary>
public sealed class KlaviyoErrorInfoProvider(bool exposeDetails)
    : ErrorInfoProvider(o => o.ExposeExceptionDetails = exposeDetails)
{
    public override ErrorInfo GetInfo(ExecutionError executionError)
    {
        if (executionError is UnhandledError unhandled)
        {
            var database = unhandled.InnerException is DbException or InvalidOperationException { InnerException: DbException };
            unhandled.Code = database ? ErrorCodes.DatabaseUnavailable : ErrorCodes.InternalError;
            if (!exposeDetails)
            {
                var info = base.GetInfo(new ExecutionError(database
                    ? "The database could not answer; try again shortly."
                    : "An unexpected error occurred; it has been logged.")
                { Code = unhandled.Code, Path = unhandled.Path });
                return info;
            }
        }
        if (executionError is TimeoutError)
            executionError.Code = ErrorCodes.Timeout;
        return base.GetInfo(executionError);
    }
}
