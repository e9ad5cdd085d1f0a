using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQL.Utilities;

namespace Klaviyo.GraphQL.Accounts;

/// <summary>
/// Puts <see cref="AccountScope.Authorize"/> in front of every field whose answer depends on the
/// caller's access to an account — each root field that takes <c>accountId</c>, and each field below
/// one that declares roles — whatever its resolver does, so that a feature added later is covered
/// without remembering to ask. Validation has already checked the caller's highest role; this checks
/// the role in the account the operation names.
/// </summary>
public sealed class AccountAuthorization : BaseSchemaNodeVisitor
{
    public override void VisitObjectFieldDefinition(FieldType field, IObjectGraphType type, ISchema schema)
    {
        var root = type == schema.Query || type == schema.Mutation || type == schema.Subscription;
        IReadOnlyList<string> roles = field.GetRoles() ?? [];
        if (root ? !AccountScope.TakesAccount(field) : roles.Count == 0)
            return;
        field.Resolver = new Checked(field.Resolver ?? NameFieldResolver.Instance, roles);
        if (field.StreamResolver is { } stream)
            field.StreamResolver = new CheckedStream(stream, roles);
    }

    private sealed class Checked(IFieldResolver inner, IReadOnlyList<string> roles) : IFieldResolver
    {
        public ValueTask<object?> ResolveAsync(IResolveFieldContext context)
        {
            AccountScope.Authorize(context, roles);
            return inner.ResolveAsync(context);
        }
    }

    private sealed class CheckedStream(ISourceStreamResolver inner, IReadOnlyList<string> roles) : ISourceStreamResolver
    {
        public ValueTask<IObservable<object?>> ResolveAsync(IResolveFieldContext context)
        {
            AccountScope.Authorize(context, roles);
            return inner.ResolveAsync(context);
        }
    }
}
