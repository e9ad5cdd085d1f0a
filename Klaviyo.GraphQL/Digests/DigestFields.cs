using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Digests;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Accounts;
using Klaviyo.GraphQL.Schema;

namespace Klaviyo.GraphQL.Digests;

/// <summary>Viewers read digests.</summary>
public sealed class DigestQueries : IQueryFields
{
    public void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<DigestType>>>>("digests").Description("Scheduled digests, by name.")
            .ResolveAsync(async c => await Service(c).ListAsync(c.CancellationToken));

    internal static DigestService Service(IResolveFieldContext c) => c.AccountServices().GetRequiredService<DigestService>();
}

/// <summary>Operators manage digests and send them now.</summary>
public sealed class DigestMutations : IMutationFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<DigestType>>("createDigest")
            .Argument<NonNullGraphType<DigestInputType>>("input")
            .AuthorizeWithRoles(Roles.Operator, Roles.Admin)
            .ResolveAsync(async c => await DigestQueries.Service(c).CreateAsync(c.GetArgument<DigestInput>("input"), c.Caller(), c.CancellationToken));
        mutation.Field<NonNullGraphType<DigestType>>("updateDigest")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<DigestInputType>>("input")
            .AuthorizeWithRoles(Roles.Operator, Roles.Admin)
            .ResolveAsync(async c => await DigestQueries.Service(c).UpdateAsync(c.GuidArgument("id"), c.GetArgument<DigestInput>("input"), c.Caller(), c.CancellationToken));
        mutation.Field<NonNullGraphType<IdGraphType>>("deleteDigest").Description("Deletes the digest and what of it is still queued; answers its id.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AuthorizeWithRoles(Roles.Operator, Roles.Admin)
            .ResolveAsync(async c =>
            {
                var id = c.GuidArgument("id");
                await DigestQueries.Service(c).DeleteAsync(id, c.CancellationToken);
                return id;
            });
        mutation.Field<NonNullGraphType<IntGraphType>>("sendDigestNow")
            .Description("Queues the digest now for its contact points, on the period that ended before today (a preview of the next one); answers how many messages were queued.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AuthorizeWithRoles(Roles.Operator, Roles.Admin)
            .ResolveAsync(async c => await DigestQueries.Service(c).SendNowAsync(c.GuidArgument("id"), c.CancellationToken));
    }
}
