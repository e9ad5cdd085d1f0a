using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Schema;

namespace Klaviyo.GraphQL.Security;

/// <summary><c>me</c> for everyone; users and API keys for Admins.</summary>
public sealed class SecurityQueries : IQueryFields, Accounts.IDeploymentFields
{
    public void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<CallerType>>("me").Description("Who this request is authenticated as, and its role.")
            .Resolve(c => c.User!);
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ApiKeyType>>>>("apiKeys").Description("Every API key, newest first (secrets are never shown again).")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c => await c.RequestServicesOrThrow().GetRequiredService<ApiKeyService>().ListAsync(c.CancellationToken));
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserType>>>>("users").Description("Every dashboard account.")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c => await c.RequestServicesOrThrow().GetRequiredService<UserAccounts>().ListAsync(c.CancellationToken));
    }
}

/// <summary>API keys and accounts: Admins only.</summary>
public sealed class SecurityMutations : IMutationFields, Accounts.IDeploymentFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CreateApiKeyPayloadType>>("createApiKey").Description("Creates an API key; its secret is in this answer only.")
            .Argument<NonNullGraphType<CreateApiKeyInputType>>("input")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                var accountIds = (input.GetValueOrDefault("accountIds") as IEnumerable<object?>)?.Select(id => id!.ToString()!.Trim()).ToList();
                if (accountIds is not null)
                    await AccountRoleInputType.CheckConnectedAsync(c, accountIds);
                return await c.RequestServicesOrThrow().GetRequiredService<ApiKeyService>().CreateAsync(
                    (string)input["name"]!, (string)input["role"]!, input.GetValueOrDefault("expiresAt") as DateTime?, c.User!.Identity?.Name ?? "anonymous", c.CancellationToken,
                    accountIds);
            });
        mutation.Field<NonNullGraphType<ApiKeyType>>("revokeApiKey").Description("Revokes an API key at once (idempotent).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var id = Guid.TryParse(c.GetArgument<string>("id"), out var parsed) ? parsed : throw new InvalidInputError($"'{c.GetArgument<string>("id")}' is not an API key id.");
                return await c.RequestServicesOrThrow().GetRequiredService<ApiKeyService>().RevokeAsync(id, c.User!.Identity?.Name ?? "anonymous", c.CancellationToken)
                    ?? throw new NotFoundError($"No API key has the id '{id}'.");
            });

        mutation.Field<NonNullGraphType<UserType>>("createUser").Description("Creates a password account.")
            .Argument<NonNullGraphType<CreateUserInputType>>("input")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                var accounts = c.RequestServicesOrThrow().GetRequiredService<UserAccounts>();
                var user = await accounts.CreateAsync(((string)input["email"]!).Trim(), (string)input["password"]!, (string)input["role"]!, c.CancellationToken);
                return await accounts.DescribeAsync(user);
            });
        mutation.Field<NonNullGraphType<UserType>>("updateUser").Description("Changes an account's role, or locks or unlocks it.")
            .Argument<NonNullGraphType<UpdateUserInputType>>("input")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                var accounts = c.RequestServicesOrThrow().GetRequiredService<UserAccounts>();
                var user = await accounts.FindAsync(input["id"]!.ToString()!);
                if (input.GetValueOrDefault("role") is string role)
                {
                    // A limited user's role is per account: the new role becomes its role in each of them.
                    if ((await accounts.DescribeAsync(user)).AccountRoles is { } limited)
                        await accounts.SetAccountRolesAsync(user, limited.ToDictionary(r => r.Key, _ => role, StringComparer.Ordinal));
                    else
                        await accounts.SetRoleAsync(user, role);
                }
                if (input.GetValueOrDefault("locked") is bool locked)
                    await accounts.SetLockedAsync(user, locked);
                return await accounts.DescribeAsync(user);
            });
        mutation.Field<NonNullGraphType<UserType>>("setUserAccountRoles")
            .Description("Limits a user to some Klaviyo accounts with a role in each (it sees no other account and manages nothing of the deployment), or gives it its role in every account again. Its sessions end.")
            .Argument<NonNullGraphType<SetUserAccountRolesInputType>>("input")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                var accounts = c.RequestServicesOrThrow().GetRequiredService<UserAccounts>();
                var user = await accounts.FindAsync(input["id"]!.ToString()!);
                var roles = await AccountRoleInputType.ReadAsync(c, input.GetValueOrDefault("accountRoles"));
                if (roles is not null && string.Equals(user.Email, c.User?.Identity?.Name, StringComparison.OrdinalIgnoreCase))
                    throw new InvalidInputError("You cannot limit your own account: another Admin of the deployment must.");
                await accounts.SetAccountRolesAsync(user, roles);
                return await accounts.DescribeAsync(user);
            });
        mutation.Field<NonNullGraphType<IdGraphType>>("deleteUser").Description("Deletes an account; answers its id.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var accounts = c.RequestServicesOrThrow().GetRequiredService<UserAccounts>();
                var user = await accounts.FindAsync(c.GetArgument<string>("id"));
                if (string.Equals(user.Email, c.User?.Identity?.Name, StringComparison.OrdinalIgnoreCase))
                    throw new InvalidInputError("You cannot delete your own account.");
                await accounts.DeleteAsync(user);
                return user.Id;
            });
    }
}
