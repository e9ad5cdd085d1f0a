using GraphQL.Types;

namespace Klaviyo.GraphQL.Filtering;

public sealed class SortInputType<TRow> : InputObjectGraphType
{
    public SortInputType(QuerySpec<TRow> spec)
    {
        Name = spec.TypeName + "SortInput";
        Description = $"A sort key for {spec.TypeName}; give one field per list entry, in priority order.";
        foreach (var field in spec.Fields)
            Field<SortEnumType>(field.Name).Description(field.Description);
    }
}
