using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Accounts;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Schema;

namespace Klaviyo.GraphQL.Security;

/// <summary>A role in one Klaviyo account, for a user or key limited to some accounts.</summary>
public sealed class AccountRoleType : ObjectGraphType<KeyValuePair<string, string>>
{
    public AccountRoleType()
    {
        Name = "AccountRole";
        Description = "A role in one Klaviyo account (`accounts` lists them).";
        Field<NonNullGraphType<IdGraphType>>("accountId").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<RoleType>>("role").Resolve(c => c.Source.Value);
    }

    /// <summary>The field's value: the roles in id order, or null for every account.</summary>
    public static IEnumerable<KeyValuePair<string, string>>? Of(IReadOnlyDictionary<string, string>? roles) => roles?.OrderBy(r => r.Key, StringComparer.Ordinal);
}

public sealed class AccountRoleInputType : InputObjectGraphType
{
    public AccountRoleInputType()
    {
        Name = "AccountRoleInput";
        Field<NonNullGraphType<IdGraphType>>("accountId");
        Field<NonNullGraphType<RoleType>>("role");
    }

    /// <summary>
    /// The roles an Admin asked for, checked: null (every account) as it is; otherwise at least one,
    /// each a connected account named once (NOT_FOUND for one that is not).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>?> ReadAsync(IResolveFieldContext c, object? value)
    {
        if (value is not IEnumerable<object?> items)
            return null;
        var roles = AccountAccess.Normalize(items.Cast<Dictionary<string, object?>>()
            .Select(i => KeyValuePair.Create(i["accountId"]!.ToString()!, (string)i["role"]!)));
        await CheckConnectedAsync(c, roles!.Keys);
        return roles;
    }

    /// <summary>NOT_FOUND for an id that names no connected account.</summary>
    public static async Task CheckConnectedAsync(IResolveFieldContext c, IEnumerable<string> accountIds)
    {
        var connected = (await c.RequestServicesOrThrow().GetRequiredService<ConnectedAccounts>().ListAsync(c.CancellationToken)).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        if (accountIds.FirstOrDefault(id => !connected.Contains(id)) is { } unknown)
            throw ConnectedAccounts.Unknown(unknown);
    }
}
