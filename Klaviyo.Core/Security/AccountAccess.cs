using System.Runtime.CompilerServices;
using System.Security.Claims;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;

namespace Klaviyo.Core.Security;

/// <summary>
/// What a caller may do in each Klaviyo account. A user or API key without account claims holds its
/// role in every account (the deployment's users from before accounts could be limited, and every
/// deployment Admin). One with account claims is limited to those accounts, with a role in each
/// (as in Klaviyo), and sees no other: for it another account does not exist, and it manages
/// nothing of the deployment (users, keys, accounts).
/// </summary>
public sealed class AccountAccess
{
    private static readonly ConditionalWeakTable<ClaimsPrincipal, AccountAccess> Read = new();
    private readonly string? _role;

    private AccountAccess(string? role, IReadOnlyDictionary<string, string>? accountRoles) => (_role, AccountRoles) = (role, accountRoles);

    /// <summary>The caller's access, read once per principal (every resolver of a request asks).</summary>
    public static AccountAccess Of(ClaimsPrincipal? user) =>
        user is null ? None : Read.GetValue(user, static u => Capped(Roles.Highest(u), RolesOf(u.FindAll(KlaviyoClaims.Account).Select(c => c.Value))));

    /// <summary>
    /// A role in an account is never above the caller's own role. They agree for a local user (its role is
    /// the highest of its account roles), but single sign-on replaces the role with the provider's at every
    /// sign-in: a provider that lowers it lowers it in every account the user is limited to as well.
    /// </summary>
    private static AccountAccess Capped(string? role, IReadOnlyDictionary<string, string>? accountRoles) =>
        new(role, role is null || accountRoles is null ? accountRoles : accountRoles.ToDictionary(r => r.Key, r => Roles.Lower(r.Value, role), StringComparer.Ordinal));

    private static readonly AccountAccess None = new(null, null);

    /// <summary>Role per account id when limited; null when the caller's role holds in every account.</summary>
    public IReadOnlyDictionary<string, string>? AccountRoles { get; }

    public bool Limited => AccountRoles is not null;

    /// <summary>What tells this access apart in a cache key: "" in every account, else each account's role.</summary>
    public string Key => _key ??= AccountRoles is null ? "" : string.Join(',', AccountRoles.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}"));

    private string? _key;

    /// <summary>The caller's role in the account, or null when it may not see it.</summary>
    public string? RoleIn(string accountId) => AccountRoles is null ? _role : AccountRoles.GetValueOrDefault(accountId);

    public bool Sees(string accountId) => RoleIn(accountId) is not null;

    /// <summary>Whether the caller's role in the account is (or includes) one of <paramref name="required"/>.</summary>
    public bool Holds(string accountId, IEnumerable<string> required) => RoleIn(accountId) is { } role && required.Any(Roles.Implied(role).Contains);

    /// <summary>
    /// The account a field reads when it names none: the deployment's own, or — for a limited caller
    /// who may not see it — the first of theirs, so that a caller of one account needs no argument.
    /// </summary>
    public string DefaultAccount =>
        AccountRoles is null || AccountRoles.ContainsKey(ConnectedAccount.DefaultId) ? ConnectedAccount.DefaultId : AccountRoles.Keys.Min(StringComparer.Ordinal)!;

    /// <summary>The claims that limit a principal to these accounts ("london=Operator").</summary>
    public static IEnumerable<Claim> Claims(IReadOnlyDictionary<string, string> accountRoles) =>
        accountRoles.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new Claim(KlaviyoClaims.Account, $"{r.Key}={r.Value}"));

    /// <summary>Account roles from claim values; null when there are none (not limited).</summary>
    public static IReadOnlyDictionary<string, string>? RolesOf(IEnumerable<string> claimValues)
    {
        Dictionary<string, string>? roles = null;
        foreach (var value in claimValues)
        {
            var separator = value.LastIndexOf('=');
            // A malformed claim limits to nothing rather than to everything.
            roles ??= new Dictionary<string, string>(StringComparer.Ordinal);
            if (separator > 0 && Roles.Normalize(value[(separator + 1)..]) is { } role)
                roles[value[..separator]] = role;
        }
        return roles;
    }

    /// <summary>
    /// Checks what an Admin asks to grant: at least one account, each named once with one of the
    /// three roles. Null (every account) passes as it is.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? Normalize(IEnumerable<KeyValuePair<string, string>>? requested)
    {
        if (requested is null)
            return null;
        var roles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (account, role) in requested)
        {
            var id = account.Trim();
            if (id.Length == 0)
                throw new InvalidInputError("An account role needs an account id.");
            if (!roles.TryAdd(id, Roles.Normalize(role) ?? throw new InvalidInputError($"'{role}' is not a role: use Viewer, Operator or Admin.")))
                throw new InvalidInputError($"The account '{id}' is named twice.");
        }
        if (roles.Count == 0)
            throw new InvalidInputError("Name at least one account, or pass null for every account.");
        return roles;
    }
}
