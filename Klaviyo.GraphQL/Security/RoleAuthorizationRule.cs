using GraphQL;
using GraphQL.Validation;
using GraphQLParser.AST;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Security;

namespace Klaviyo.GraphQL.Security;

/// <summary>
/// Authorization in one place, checked while the document is validated (before anything runs):
/// every root field — queries, subscriptions, introspection — needs Viewer; a field that declares
/// roles with <c>AuthorizeWithRoles</c> needs one of them. An anonymous caller gets
/// <c>UNAUTHENTICATED</c>, a caller without the role <c>FORBIDDEN</c>. For a caller limited to some
/// accounts this checks its highest role; <see cref="Accounts.AccountAuthorization"/> checks its role
/// in the account the operation reads, and here it may not manage the deployment.
/// </summary>
public sealed class RoleAuthorizationRule : ValidationRuleBase
{
    private static readonly INodeVisitor Visitor = new MatchingNodeVisitor<GraphQLField>((field, context) =>
    {
        if (context.TypeInfo.GetFieldDef() is not { } definition)
            return;
        var declared = definition.GetRoles();
        var parent = context.TypeInfo.GetParentType();
        var root = parent is not null && (parent == context.Schema.Query || parent == context.Schema.Mutation || parent == context.Schema.Subscription);
        IReadOnlyList<string> required = declared is { Count: > 0 } ? declared : root ? [Roles.Viewer] : [];
        if (required.Count == 0 || required.Any(r => context.User?.IsInRole(r) == true))
        {
            // Managing the deployment (users, keys, accounts) needs the role in every account, not in some.
            if (declared is { Count: > 0 } && root && !Accounts.AccountScope.TakesAccount(definition) && AccountAccess.Of(context.User).Limited)
                context.ReportError(new ValidationError(context.Document.Source, null,
                    $"'{definition.Name}' manages the deployment: it needs the {string.Join(" or ", required)} role in every account, and this caller's access is limited to some.", field)
                {
                    Code = ErrorCodes.Forbidden,
                });
            return;
        }

        var anonymous = context.User?.Identity?.IsAuthenticated != true;
        var message = anonymous
            ? $"Sign in or send an API key to use '{definition.Name}'."
            : $"'{definition.Name}' needs the {string.Join(" or ", required)} role.";
        context.ReportError(new ValidationError(context.Document.Source, null, message, field)
        {
            Code = anonymous ? ErrorCodes.Unauthenticated : ErrorCodes.Forbidden,
        });
    });

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) => new(Visitor);
}
