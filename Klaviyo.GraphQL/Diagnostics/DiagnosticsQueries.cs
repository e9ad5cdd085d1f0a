using GraphQL.Types;
using Klaviyo.Core.Diagnostics;
using Klaviyo.GraphQL.Accounts;
using Klaviyo.GraphQL.Schema;

namespace Klaviyo.GraphQL.Diagnostics;

public sealed class DiagnosticsQueries : IQueryFields
{
    public void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<DiagnosticsType>>("diagnostics")
            .Description("The server's state now (never cached).")
            .Resolve(ctx => ctx.AccountServices().GetRequiredService<DiagnosticsReader>());
}
