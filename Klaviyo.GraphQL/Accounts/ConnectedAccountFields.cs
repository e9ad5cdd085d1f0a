using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Accounts;
using Klaviyo.Core.Data;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Schema;

namespace Klaviyo.GraphQL.Accounts;

public sealed class ConnectedAccountType : ObjectGraphType<ConnectedAccount>
{
    public ConnectedAccountType()
    {
        Name = "ConnectedAccount";
        Description = "A Klaviyo account this deployment syncs. Pass its id as `accountId` to any field to read it. Its key is never shown.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("name").Description("Klaviyo's organization name when the account was added (the deployment's own: as synced).")
            .ResolveAsync(async c => (await SyncedAsync(c))?.Name ?? c.Source.Name);
        Field<StringGraphType>("klaviyoId").Description("Klaviyo's id of the account (its public key).").Resolve(c => c.Source.KlaviyoId);
        Field<NonNullGraphType<BooleanGraphType>>("isDefault").Description("The deployment's own account (its configured key): what a field reads without `accountId`.")
            .Resolve(c => c.Source.Id == ConnectedAccount.DefaultId);
        Field<NonNullGraphType<BooleanGraphType>>("paused").Description("Not synced; its data is served as it was.").Resolve(c => c.Source.Paused);
        Field<NonNullGraphType<BooleanGraphType>>("sandbox").Description("Served by this deployment's hosted sandbox.").Resolve(c => c.Source.Sandbox);
        Field<StringGraphType>("timezone").Description("IANA time zone every number of the account is read in; null until its first sync.")
            .ResolveAsync(async c => (await SyncedAsync(c))?.Timezone);
        Field<StringGraphType>("currency").Description("ISO 4217 code of its money fields; null until its first sync.")
            .ResolveAsync(async c => (await SyncedAsync(c))?.Currency);
        Field<NonNullGraphType<DateTimeGraphType>>("addedAt").Resolve(c => c.Source.AddedAt);
    }

    /// <summary>The account as its own store has synced it; null before its first sync or while it is not running.</summary>
    private static async Task<Core.Accounts.AccountInfo?> SyncedAsync(IResolveFieldContext<ConnectedAccount> c)
    {
        var services = c.RequestServicesOrThrow().GetRequiredService<AccountShells>().ServicesOf(c.Source.Id, c.RequestServicesOrThrow());
        if (services is null)
            return null;
        var account = (await services.GetRequiredService<AccountReader>().ReadAsync(forceFresh: false, c.CancellationToken)).Data;
        return account.Synced ? account : null;
    }
}

public sealed class AddAccountInputType : InputObjectGraphType
{
    public AddAccountInputType()
    {
        Name = "AddAccountInput";
        Field<NonNullGraphType<StringGraphType>>("apiKey").Description("The account's private key (pk_…), with read access. Checked with Klaviyo before it is kept; never shown again.");
    }
}

/// <summary><c>accounts</c> for everyone signed in (those each may see); adding, pausing, re-keying and removing for Admins.</summary>
public sealed class ConnectedAccountQueries : IQueryFields, IDeploymentFields
{
    public void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ConnectedAccountType>>>>("accounts")
            .Description("The Klaviyo accounts this deployment syncs that the caller may see, the deployment's own first.")
            .ResolveAsync(async c =>
            {
                var access = AccountAccess.Of(c.User);
                return (await c.RequestServicesOrThrow().GetRequiredService<ConnectedAccounts>().ListAsync(c.CancellationToken)).Where(a => access.Sees(a.Id)).ToList();
            });
}

public sealed class ConnectedAccountMutations : IMutationFields, IDeploymentFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ConnectedAccountType>>("addAccount")
            .Description("Connects a Klaviyo account: its key is checked with Klaviyo, kept encrypted, and its data syncs into a store of its own.")
            .Argument<NonNullGraphType<AddAccountInputType>>("input")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c => await Accounts(c).AddAsync((string)c.GetArgument<Dictionary<string, object?>>("input")["apiKey"]!, c.Caller(), c.CancellationToken));
        mutation.Field<NonNullGraphType<ConnectedAccountType>>("setAccountPaused")
            .Description("Pauses an added account (no sync; its data stays and is served) or resumes it.")
            .Argument<NonNullGraphType<IdGraphType>>("id").Argument<NonNullGraphType<BooleanGraphType>>("paused")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c => await Accounts(c).SetPausedAsync(c.GetArgument<string>("id"), c.GetArgument<bool>("paused"), c.Caller(), c.CancellationToken));
        mutation.Field<NonNullGraphType<ConnectedAccountType>>("replaceAccountKey")
            .Description("Gives an added account a new key (checked first; it must open the same Klaviyo account).")
            .Argument<NonNullGraphType<IdGraphType>>("id").Argument<NonNullGraphType<StringGraphType>>("apiKey")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c => await Accounts(c).ReplaceKeyAsync(c.GetArgument<string>("id"), c.GetArgument<string>("apiKey"), c.Caller(), c.CancellationToken));
        mutation.Field<NonNullGraphType<BooleanGraphType>>("removeAccount")
            .Description("Disconnects an added account and deletes everything of it: its data, sync state, alerts and key.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                await Accounts(c).RemoveAsync(c.GetArgument<string>("id"), c.Caller(), c.CancellationToken);
                return true;
            });
    }

    private static ConnectedAccounts Accounts(IResolveFieldContext c) => c.RequestServicesOrThrow().GetRequiredService<ConnectedAccounts>();
}
