using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Accounts;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Schema;

namespace Klaviyo.GraphQL.Accounts;

/// <summary>Fields about the deployment itself (users, API keys, the accounts list): they take no account.</summary>
public interface IDeploymentFields;

/// <summary>
/// Which account a field reads: every root field of the account's data takes an optional
/// <c>accountId</c> (the deployment's own account when omitted, so a query written for one account
/// keeps working), and every resolver under it reads through <see cref="AccountServices"/> — the
/// services of that account's shell, whose store, cache and sync are its alone.
/// </summary>
public static class AccountScope
{
    public const string Argument = "accountId";

    /// <summary>Whether a root field reads an account's data (it takes <c>accountId</c>) rather than the deployment's.</summary>
    public static bool TakesAccount(FieldType field) => field.Arguments?.Find(Argument) is not null;

    /// <summary>Gives the root fields a feature just added the <c>accountId</c> argument.</summary>
    public static void AddArgument(IEnumerable<FieldType> fields)
    {
        foreach (var field in fields)
        {
            field.Arguments ??= new QueryArguments();
            field.Arguments.Add(new QueryArgument<IdGraphType>
            {
                Name = Argument,
                Description = "The account to read (`accounts` lists them); the deployment's own account when omitted.",
            });
        }
    }

    /// <summary>Adds each feature's fields to <paramref name="root"/>, with the account argument unless the feature is the deployment's.</summary>
    public static void AddFeatures<TFeature>(ObjectGraphType root, IEnumerable<TFeature> features, Action<TFeature, ObjectGraphType> add)
    {
        foreach (var feature in features)
        {
            var before = root.Fields.Count;
            add(feature, root);
            if (feature is not IDeploymentFields)
                AddArgument(root.Fields.Skip(before).ToList());
        }
    }

    /// <summary>
    /// The services of the account the operation's root field names: the request's own for the
    /// deployment's account, else that account's shell. An account that is not connected — or that
    /// the caller may not see — is NOT_FOUND, in the same words.
    /// </summary>
    public static IServiceProvider AccountServices(this IResolveFieldContext context)
    {
        var services = context.RequestServicesOrThrow();
        var id = AccountIdOf(context);
        // Every resolver passes here: the deployment's own account (nearly every request) costs no lookup.
        if (id is null || id == ConnectedAccount.DefaultId)
            return services;
        // Whole responses are evicted by the deployment's own syncs: one that read another account's store is never stored whole.
        FreshnessTrace.Current?.MarkUncacheable();
        return services.GetRequiredService<AccountShells>().ServicesOf(id) ?? throw ConnectedAccounts.Unknown(id);
    }

    /// <summary>
    /// Refuses the field when its caller is limited to some accounts and the account it reads is not
    /// one of them (NOT_FOUND, as for an account that does not exist), or its role there is not one
    /// of <paramref name="required"/> (FORBIDDEN). A caller with a role in every account had that role
    /// checked when the document was validated.
    /// </summary>
    public static void Authorize(IResolveFieldContext context, IReadOnlyList<string> required)
    {
        var access = AccountAccess.Of(context.User);
        if (!access.Limited)
            return;
        var id = AccountIdOf(context)!;
        if (required.Count > 0 && !access.Holds(id, required))
            throw new AppError($"'{context.FieldDefinition.Name}' needs the {string.Join(" or ", required)} role in the account '{id}'.", ErrorCodes.Forbidden);
    }

    /// <summary>The account the root field names; for a limited caller its default when none is named. Null: the deployment's own.</summary>
    private static string? AccountIdOf(IResolveFieldContext context)
    {
        var root = context;
        while (root.Parent is { } parent)
            root = parent;
        var id = root.GetArgument<string?>(Argument);
        var access = AccountAccess.Of(context.User);
        if (!access.Limited)
            return id;
        id ??= access.DefaultAccount;
        return access.Sees(id) ? id : throw ConnectedAccounts.Unknown(id);
    }
}
