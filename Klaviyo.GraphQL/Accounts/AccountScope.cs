using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Accounts;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Freshness;
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
    /// deployment's account, else that account's shell. An account that is not connected is NOT_FOUND.
    /// </summary>
    public static IServiceProvider AccountServices(this IResolveFieldContext context)
    {
        var root = context;
        while (root.Parent is { } parent)
            root = parent;
        var services = context.RequestServicesOrThrow();
        var id = root.GetArgument<string?>(Argument);
        // Every resolver passes here: the deployment's own account (nearly every request) costs no lookup.
        if (id is null || id == ConnectedAccount.DefaultId)
            return services;
        // Whole responses are evicted by the deployment's own syncs: one that read another account's store is never stored whole.
        FreshnessTrace.Current?.MarkUncacheable();
        return services.GetRequiredService<AccountShells>().ServicesOf(id) ?? throw new NotFoundError($"No account '{id}'.");
    }
}
