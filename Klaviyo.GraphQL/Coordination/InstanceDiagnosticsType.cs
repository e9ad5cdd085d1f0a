using GraphQL.Types;
using Klaviyo.Core.Coordination;

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
    }
}
