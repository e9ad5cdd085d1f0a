using GraphQL;
using GraphQL.Execution;
using Klaviyo.Core.Errors;

namespace Klaviyo.GraphQL.Schema;

/// <summary>The boundary where the domain's <see cref="AppError"/>s become GraphQL errors with their code.</summary>
public static class AppErrors
{
    public static ExecutionError ToExecutionError(this AppError error, IEnumerable<object>? path = null)
    {
        var converted = new Converted(error) { Code = error.Code, Path = path };
        if (error.Extensions is { } extensions)
            converted.Extensions = extensions.ToDictionary();
        return converted;
    }

    /// <summary>
    /// The GraphQL error of an <see cref="AppError"/>. Not its inner exception: <c>extensions.codes</c> would
    /// list the exception's type too, and clients see the code alone, as before the domain moved out.
    /// </summary>
    public sealed class Converted(AppError error) : ExecutionError(error.Message)
    {
        public AppError Error { get; } = error;
    }

    /// <summary>
    /// GraphQL.NET asks this about every exception a resolver throws: an <see cref="AppError"/> is
    /// answered as it is (its message is for the caller); the rest stay unhandled (INTERNAL_ERROR).
    /// </summary>
    public static Task Handle(UnhandledExceptionContext context)
    {
        if (context.OriginalException is AppError error)
            context.Exception = error.ToExecutionError(context.FieldContext?.Path);
        return Task.CompletedTask;
    }
}
