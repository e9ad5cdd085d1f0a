using Klaviyo.Core.Errors;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Security;

/// <summary>
/// Dashboard accounts (ASP.NET Core Identity), each with exactly one of the three roles — in every
/// Klaviyo account, or, when limited, one role per Klaviyo account it may see (kept as Identity
/// claims, its Identity role the highest of them; see <see cref="AccountAccess"/>). Every change
/// to what an account may do (role, lock, delete) bumps its security stamp, which ends its sessions,
/// circuits and dashboard tokens, and is announced so that open connections re-check at once.
/// </summary>
public sealed class UserAccounts(UserManager<IdentityUser> users, RoleManager<IdentityRole> roles, CredentialChanges changes, TimeProvider time)
{
    /// <param name="AccountRoles">Role per Klaviyo account when the user is limited to some; null for every account.</param>
    public sealed record Account(string Id, string Email, string Role, bool LockedOut, DateTimeOffset? LockoutEnd, bool External,
        IReadOnlyDictionary<string, string>? AccountRoles = null);

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await users.Users.OrderBy(u => u.Email).ToListAsync(cancellationToken);
        var result = new List<Account>(all.Count);
        foreach (var user in all)
            result.Add(await DescribeAsync(user));
        return result;
    }

    public async Task<Account> DescribeAsync(IdentityUser user)
    {
        var held = await users.GetRolesAsync(user);
        var role = Roles.All.LastOrDefault(held.Contains) ?? Roles.Viewer;
        var lockedOut = user.LockoutEnd is { } end && end > time.GetUtcNow();
        var accountRoles = AccountAccess.RolesOf((await users.GetClaimsAsync(user)).Where(c => c.Type == KlaviyoClaims.Account).Select(c => c.Value));
        return new Account(user.Id, user.Email ?? user.UserName ?? "", role, lockedOut, lockedOut ? user.LockoutEnd : null, user.PasswordHash is null, accountRoles);
    }

    /// <summary>
    /// Limits the user to these Klaviyo accounts with a role in each (ids already checked by the
    /// caller), or with null gives it its role in every account again. Its sessions end either way.
    /// </summary>
    public async Task SetAccountRolesAsync(IdentityUser user, IReadOnlyDictionary<string, string>? accountRoles)
    {
        var held = (await users.GetClaimsAsync(user)).Where(c => c.Type == KlaviyoClaims.Account).ToList();
        if (held.Count > 0)
            Check(await users.RemoveClaimsAsync(user, held));
        if (accountRoles is not null)
        {
            Check(await users.AddClaimsAsync(user, AccountAccess.Claims(accountRoles)));
            // The Identity role is the highest held anywhere: what validation checks before the account is known.
            await SetRoleAsync(user, Roles.All.Last(accountRoles.Values.Contains));
        }
        await RevokeSessionsAsync(user);
    }

    public async Task<IdentityUser> CreateAsync(string email, string? password, string role, CancellationToken cancellationToken)
    {
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true };
        Check(password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password));
        await SetRoleAsync(user, role);
        changes.Publish(new CredentialNotice(SignInRequired: true));
        return user;
    }

    /// <summary>Replaces the account's role (one role each; the higher ones include the lower).</summary>
    public async Task SetRoleAsync(IdentityUser user, string role)
    {
        role = Roles.Normalize(role) ?? throw new InvalidInputError($"'{role}' is not a role: use Viewer, Operator or Admin.");
        foreach (var name in Roles.All)
            if (!await roles.RoleExistsAsync(name))
                await roles.CreateAsync(new IdentityRole(name));
        var held = await users.GetRolesAsync(user);
        if (held.Count == 1 && held[0] == role)
            return;
        if (held.Count > 0)
            Check(await users.RemoveFromRolesAsync(user, held));
        Check(await users.AddToRoleAsync(user, role));
        if (held.Count > 0)
            await RevokeSessionsAsync(user);
    }

    public async Task<IdentityUser> FindAsync(string id) =>
        await users.FindByIdAsync(id) ?? throw new NotFoundError($"No account has the id '{id}'.");

    public async Task SetLockedAsync(IdentityUser user, bool locked)
    {
        Check(await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null));
        if (!locked)
            Check(await users.ResetAccessFailedCountAsync(user));
        else
            await RevokeSessionsAsync(user);
    }

    public async Task DeleteAsync(IdentityUser user)
    {
        Check(await users.DeleteAsync(user));
        changes.Publish(new CredentialNotice(SignInRequired: false));
    }

    /// <summary>A new security stamp: every cookie, circuit and dashboard token issued before is refused from now on.</summary>
    private async Task RevokeSessionsAsync(IdentityUser user)
    {
        Check(await users.UpdateSecurityStampAsync(user));
        changes.Publish(new CredentialNotice(SignInRequired: false));
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidInputError(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
