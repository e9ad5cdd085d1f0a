using GraphQL;

namespace Klaviyo.GraphQL.GraphQL;

public static class ResolveFieldContextExtensions
{
    /// <summary>The request's DI scope; the executor always sets it, so its absence is a wiring bug.</summary>
    public static IServiceProvider RequestServicesOrThrow(this IResolveFieldContext context) =>
        context.RequestServices ?? throw new InvalidOperationException("ExecutionOptions.RequestServices was not set.");

    /// <summary>The user context key the transport sets when the request said <c>Cache-Control: no-cache</c>.</summary>
    public const string NoCacheKey = "noCache";

    /// <summary>Whether to bypass cached copies: the field's <c>forceFresh</c> argument or the request's no-cache header.</summary>
    public static bool ForceFresh(this IResolveFieldContext context) =>
        context.GetArgument<bool>("forceFresh") || context.UserContext.TryGetValue(NoCacheKey, out var value) && value is true;
}
