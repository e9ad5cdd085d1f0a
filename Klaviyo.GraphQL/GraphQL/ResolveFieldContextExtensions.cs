using GraphQL;

namespace Klaviyo.GraphQL.GraphQL;

public static class ResolveFieldContextExtensions
{
    /// <summary>The request's DI scope; the executor always sets it, so its absence is a wiring bug.</summary>
    public static IServiceProvider RequestServicesOrThrow(this IResolveFieldContext context) =>
        context.RequestServices ?? throw new InvalidOperationException("ExecutionOptions.RequestServices was not set.");
}
