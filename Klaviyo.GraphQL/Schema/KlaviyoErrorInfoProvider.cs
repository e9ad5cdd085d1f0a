using GraphQL;
using GraphQL.Execution;
using Klaviyo.Core.Errors;

namespace Klaviyo.GraphQL.Schema;

/// <summary>
/// Gives every error an <c>extensions.code</c> a client can switch on (the one classification
/// for failures of the live path), adds <c>extensions.detail</c> in Development, and hides
/// exception details (messages, stack traces, details) outside it.
/// </summary>
public sealed class KlaviyoErrorInfoProvider(bool exposeDetails)
    : ErrorInfoProvider(o => o.ExposeExceptionDetails = exposeDetails)
{
    public override ErrorInfo GetInfo(ExecutionError executionError)
    {
        if (executionError is UnhandledError unhandled)
        {
            var inner = unhandled.InnerException;
            if (inner is not null && ErrorClassifier.RequestFault(inner) is { } fault)
                return GetInfo(fault.ToExecutionError(unhandled.Path));
            if (inner is not null && ErrorClassifier.IsDatabase(inner))
                return GetInfo(new DataUnavailableError(ErrorClassifier.Classify(inner)).ToExecutionError(unhandled.Path));
            unhandled.Code = ErrorCodes.InternalError;
            if (!exposeDetails)
                return base.GetInfo(new ExecutionError("An unexpected error occurred; it has been logged.") { Code = unhandled.Code, Path = unhandled.Path });
        }
        if (executionError is TimeoutError)
            executionError.Code = ErrorCodes.Timeout;
        var info = base.GetInfo(executionError);
        // The detail of a database failure is the server's own exception text: Development only.
        if (executionError is AppErrors.Converted { Error: DataUnavailableError unavailable } && exposeDetails)
        {
            info.Extensions ??= new Dictionary<string, object?>();
            info.Extensions["detail"] = unavailable.Detail;
        }
        return info;
    }
}
