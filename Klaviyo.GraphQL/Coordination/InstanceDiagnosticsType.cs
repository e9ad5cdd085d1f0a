using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Accounts;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Schema;

namespace Klaviyo.GraphQL.Coordination;

public sealed class InstanceDiagnosticsType : ObjectGraphType<LeaderLease>
{
    public InstanceDiagnosticsType()
    {
        Name = "InstanceDiagnostics";
        Description = "This server instance and the sync lease: with several instances on one database, only the leader syncs.";
        Field<NonNullGraphType<StringGraphType>>("id").Description("This instance (Coordination:InstanceId, or generated at start).").Resolve(c => c.Source.InstanceId);
        Field<NonNullGraphType<BooleanGraphType>>("coordinated").Description("Coordination:Enabled: instances share the database and elect one sync leader.").Resolve(c => c.Source.Enabled);
        Field<NonNullGraphType<BooleanGraphType>>("isLeader").Description("This instance runs the schedule and every sync (always, when not coordinated).").Resolve(c => c.Source.IsLeader);
        Field<StringGraphType>("leaderId").Description("The instance holding the lease as last read; null while none does or when not coordinated.").Resolve(c => c.Source.Enabled ? c.Source.LeaderId : c.Source.InstanceId);
        Field<NonNullGraphType<LongGraphType>>("epoch").Description("The lease epoch this instance last saw; it goes up each time the lease changes hands.").Resolve(c => c.Source.SeenEpoch);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AccountLeaseType>>>>("accountLeases")
            .Description("Which instance syncs each connected account the caller may see (each has a lease of its own, spread over the live instances), as this instance last read them.")
            .Resolve(c => c.RequestServicesOrThrow().GetRequiredService<AccountShells>().Leases(AccountAccess.Of(c.User).Sees));
    }
}

public sealed class AccountLeaseType : ObjectGraphType<AccountLease>
{
    public AccountLeaseType()
    {
        Name = "AccountLease";
        Description = "Who syncs one connected account.";
        Field<NonNullGraphType<IdGraphType>>("accountId").Resolve(c => c.Source.AccountId);
        Field(l => l.Holder, nullable: true).Description("The instance holding the account's lease as last read; null while none does.");
        Field(l => l.SyncedHere).Description("This instance syncs the account now.");
        Field(l => l.Epoch).Description("The lease's epoch as last read: it goes up each time the account changes hands.");
        Field(l => l.Owner, nullable: true).Description("The live instance the account is assigned to (coordinated, added accounts); the holder takes over from it within a renewal. Null otherwise.");
    }
}
