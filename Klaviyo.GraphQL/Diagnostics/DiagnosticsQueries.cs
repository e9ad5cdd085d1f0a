using GraphQL.Types;
using Klaviyo.GraphQL.Schema;
using Klaviyo.GraphQL.Transport;
using Klaviyo.Core.Diagnostics;

namespace Klaviyo.GraphQL.Diagnostics;

public sealed class DiagnosticsQueries : IQueryFields
{
    public void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<DiagnosticsType>>("diagnostics")
            .Description("The server's state now (never cached).")
            .Resolve(ctx => ctx.RequestServicesOrThrow().GetRequiredService<DiagnosticsReader>());
}
