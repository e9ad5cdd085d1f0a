using GraphQL.Types;

namespace Klaviyo.GraphQL.Filtering;

public sealed class FilterInputType<TRow> : InputObjectGraphType
{
    public FilterInputType(QuerySpec<TRow> spec)
    {
        Name = spec.TypeName + "FilterInput";
        Description = $"Conditions on {spec.TypeName} fields; all given conditions must hold.";
        Field<ListGraphType<NonNullGraphType<FilterInputType<TRow>>>>("and").Description("Every condition holds.");
        Field<ListGraphType<NonNullGraphType<FilterInputType<TRow>>>>("or").Description("At least one condition holds.");
        foreach (var field in spec.Fields)
            Field(field.Name, OperationType(field.Kind)).Description(field.Description);
    }

    private static Type OperationType(FilterKind kind) => kind switch
    {
        FilterKind.String => typeof(StringOperationFilterInputType),
        FilterKind.Int => typeof(IntOperationFilterInputType),
        FilterKind.Float => typeof(FloatOperationFilterInputType),
        FilterKind.DateTime => typeof(DateTimeOperationFilterInputType),
        FilterKind.Boolean => typeof(BooleanOperationFilterInputType),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
