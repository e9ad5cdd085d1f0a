using GraphQL;
using Klaviyo.Core.Errors;

namespace Klaviyo.GraphQL.Schema;

public static class ResolveFieldContextExtensions
{
    /// <summary>The request's DI scope; the executor always sets it, so its absence is a wiring bug.</summary>
    public static IServiceProvider RequestServicesOrThrow(this IResolveFieldContext context) =>
        context.RequestServices ?? throw new InvalidOperationException("ExecutionOptions.RequestServices was not set.");

    /// <summary>Who is changing something, as records name them.</summary>
    public static string Caller(this IResolveFieldContext context) => context.User?.Identity?.Name ?? "anonymous";

    /// <summary>An id argument that must be a GUID; anything else is INVALID_INPUT.</summary>
    public static Guid GuidArgument(this IResolveFieldContext context, string name)
    {
        var text = context.GetArgument<string>(name);
        return Guid.TryParse(text, out var id) ? id : throw new InvalidInputError($"'{text}' is not an id.");
    }

    /// <summary>The user context key the transport sets when the request said <c>Cache-Control: no-cache</c>.</summary>
    public const string NoCacheKey = "noCache";

    /// <summary>Whether to bypass cached copies: the field's <c>forceFresh</c> argument or the request's no-cache header.</summary>
    public static bool ForceFresh(this IResolveFieldContext context) =>
        context.GetArgument<bool>("forceFresh") || context.UserContext.TryGetValue(NoCacheKey, out var value) && value is true;
}
