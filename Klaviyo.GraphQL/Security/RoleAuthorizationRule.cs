using System.Runtime.CompilerServices;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Execution;

namespace Klaviyo.GraphQL.Security;

/// <summary>
/// Authorization in one place, checked while the document is validated (before anything runs):
/// every root field — queries, subscriptions, introspection — needs Viewer; a field that declares
/// roles with <c>AuthorizeWithRoles</c> needs one of them. An anonymous caller gets
/// <c>UNAUTHENTICATED</c>, a caller without the role <c>FORBIDDEN</c>. For a caller limited to some
/// accounts this checks its highest role; <see cref="Accounts.AccountAuthorization"/> checks its role
/// in the account the operation reads, and here it may not manage the deployment.
/// </summary>
public sealed class RoleAuthorizationRule : CallerRule
{
    /// <summary>A selected field that needs a role: one it declares, or Viewer for any root field.</summary>
    private sealed record Guarded(GraphQLField Node, FieldType Definition, IReadOnlyList<string> Required, bool Declared, bool Root);

    private static readonly ConditionalWeakTable<GraphQLDocument, Guarded[]> Known = new();

    public override async ValueTask CheckAsync(ValidationContext context)
    {
        if (!Known.TryGetValue(context.Document, out var guarded))
        {
            guarded = [.. (await SelectedFields.OfAsync(context)).Select(field => Guard(field, context.Schema)).OfType<Guarded>()];
            Known.AddOrUpdate(context.Document, guarded);
        }
        foreach (var field in guarded)
            Check(field, context);
    }

    private static Guarded? Guard(SelectedFields.Field field, ISchema schema)
    {
        var declared = field.Definition.GetRoles();
        var root = field.Parent is not null && (field.Parent == schema.Query || field.Parent == schema.Mutation || field.Parent == schema.Subscription);
        IReadOnlyList<string> required = declared is { Count: > 0 } ? declared : root ? [Roles.Viewer] : [];
        return required.Count == 0 ? null : new Guarded(field.Node, field.Definition, required, declared is { Count: > 0 }, root);
    }

    private static bool HasAny(System.Security.Claims.ClaimsPrincipal? user, IReadOnlyList<string> roles)
    {
        foreach (var role in roles)
            if (user?.IsInRole(role) == true)
                return true;
        return false;
    }

    private static void Check(Guarded field, ValidationContext context)
    {
        var (node, definition, required) = (field.Node, field.Definition, field.Required);
        if (HasAny(context.User, required))
        {
            // Managing the deployment (users, keys, accounts) needs the role in every account, not in some.
            if (field.Declared && field.Root && !Accounts.AccountScope.TakesAccount(definition) && AccountAccess.Of(context.User).Limited)
                context.ReportError(new ValidationError(context.Document.Source, null,
                    $"'{definition.Name}' manages the deployment: it needs the {string.Join(" or ", required)} role in every account, and this caller's access is limited to some.", node)
                {
                    Code = ErrorCodes.Forbidden,
                });
            return;
        }

        var anonymous = context.User?.Identity?.IsAuthenticated != true;
        var message = anonymous
            ? $"Sign in or send an API key to use '{definition.Name}'."
            : $"'{definition.Name}' needs the {string.Join(" or ", required)} role.";
        context.ReportError(new ValidationError(context.Document.Source, null, message, node)
        {
            Code = anonymous ? ErrorCodes.Unauthenticated : ErrorCodes.Forbidden,
        });
    }
}
