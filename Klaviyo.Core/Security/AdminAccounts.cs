using Microsoft.AspNetCore.Identity;

namespace Klaviyo.Core.Security;

/// <summary>Creates an Admin account (the <c>create-admin</c> command and Security:BootstrapAdmin).</summary>
public static class AdminAccounts
{
    /// <summary>Creates the admin when no account has this e-mail; an existing account is made Admin of the deployment (in every account). Throws with Identity's reasons when the password is refused.</summary>
    public static async Task<bool> EnsureAsync(IServiceProvider services, string email, string? password, ILogger logger, CancellationToken cancellationToken)
    {
        var users = services.GetRequiredService<UserManager<IdentityUser>>();
        var accounts = services.GetRequiredService<UserAccounts>();
        if (await users.FindByEmailAsync(email) is { } existing)
        {
            await accounts.SetRoleAsync(existing, Roles.Admin);
            if ((await accounts.DescribeAsync(existing)).AccountRoles is not null)
                await accounts.SetAccountRolesAsync(existing, null);
            return false;
        }
        if (string.IsNullOrEmpty(password))
            throw new InvalidOperationException($"No password given for the admin {email}: set Security:BootstrapAdmin:Password or KLAVIYO_ADMIN_PASSWORD.");
        await accounts.CreateAsync(email, password, Roles.Admin, cancellationToken);
        logger.LogInformation("Created the admin account {Email}.", email);
        return true;
    }
}
