using GraphQL.Types;
using Klaviyo.Core.Security;

namespace Klaviyo.GraphQL.Security;

public sealed class UserType : ObjectGraphType<UserAccounts.Account>
{
    public UserType()
    {
        Name = "User";
        Description = "A dashboard account.";
        Field(u => u.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(u => u.Email);
        Field<NonNullGraphType<RoleType>>("role").Resolve(c => c.Source.Role);
        Field(u => u.LockedOut).Description("Locked by an admin or by repeated failed sign-ins.");
        Field(u => u.LockoutEnd, nullable: true);
        Field(u => u.External).Description("Signs in with single sign-on (no password).");
        Field<ListGraphType<NonNullGraphType<AccountRoleType>>>("accountRoles")
            .Description("The Klaviyo accounts the user is limited to, with a role in each; null when `role` holds in every account.")
            .Resolve(c => AccountRoleType.Of(c.Source.AccountRoles));
    }
}

public sealed class CreateUserInputType : InputObjectGraphType
{
    public CreateUserInputType()
    {
        Name = "CreateUserInput";
        Field<NonNullGraphType<StringGraphType>>("email");
        Field<NonNullGraphType<StringGraphType>>("password").Description("At least 12 characters.");
        Field<NonNullGraphType<RoleType>>("role");
    }
}

public sealed class UpdateUserInputType : InputObjectGraphType
{
    public UpdateUserInputType()
    {
        Name = "UpdateUserInput";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<RoleType>("role").Description("The new role (for a user limited to some accounts: its role in each of them); unchanged when null.");
        Field<BooleanGraphType>("locked").Description("Lock (true) or unlock (false) the account; unchanged when null.");
    }
}

public sealed class SetUserAccountRolesInputType : InputObjectGraphType
{
    public SetUserAccountRolesInputType()
    {
        Name = "SetUserAccountRolesInput";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<ListGraphType<NonNullGraphType<AccountRoleInputType>>>("accountRoles")
            .Description("Limits the user to these accounts, with a role in each; null gives it its role in every account again.");
    }
}

public sealed class CallerType : ObjectGraphType<System.Security.Claims.ClaimsPrincipal>
{
    public CallerType()
    {
        Name = "Caller";
        Description = "Who is asking: a signed-in user, an API key, or the anonymous caller where the server allows one.";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Identity?.Name ?? "anonymous");
        Field<NonNullGraphType<RoleType>>("role").Resolve(c => Roles.Highest(c.Source));
        Field<NonNullGraphType<StringGraphType>>("authentication").Description("password, oidc, apikey, dashboard or anonymous.")
            .Resolve(c => c.Source.FindFirst(KlaviyoClaims.Method)?.Value ?? c.Source.Identity?.AuthenticationType?.ToLowerInvariant() ?? "anonymous");
        Field<ListGraphType<NonNullGraphType<AccountRoleType>>>("accountRoles")
            .Description("The Klaviyo accounts this caller is limited to, with its role in each; null when `role` holds in every account.")
            .Resolve(c => AccountRoleType.Of(AccountAccess.Of(c.Source).AccountRoles));
    }
}
