using GraphQL.Types;

namespace Klaviyo.GraphQL.Filtering;

/// <summary>Operations on one field, named as Hot Chocolate names them so existing clients feel at home.</summary>
public abstract class OperationFilterInputType<TScalar> : InputObjectGraphType
    where TScalar : ScalarGraphType
{
    protected OperationFilterInputType(string name, bool comparable)
    {
        Name = name;
        Field<TScalar>("eq").Description("Equal to the value; null matches a missing value.");
        Field<TScalar>("neq").Description("Not equal to the value.");
        Field<ListGraphType<TScalar>>("in").Description("Equal to one of the values.");
        Field<ListGraphType<TScalar>>("nin").Description("Equal to none of the values.");
        if (!comparable)
            return;
        Field<TScalar>("gt").Description("Greater than the value.");
        Field<TScalar>("gte").Description("Greater than or equal to the value.");
        Field<TScalar>("lt").Description("Less than the value.");
        Field<TScalar>("lte").Description("Less than or equal to the value.");
    }
}

public sealed class StringOperationFilterInputType : OperationFilterInputType<StringGraphType>
{
    public StringOperationFilterInputType() : base("StringOperationFilterInput", comparable: false)
    {
        Field<StringGraphType>("contains").Description("Contains the text (case-insensitive for ASCII letters).");
        Field<StringGraphType>("ncontains").Description("Does not contain the text.");
        Field<StringGraphType>("startsWith").Description("Starts with the text.");
        Field<StringGraphType>("endsWith").Description("Ends with the text.");
    }
}

public sealed class IntOperationFilterInputType() : OperationFilterInputType<IntGraphType>("IntOperationFilterInput", comparable: true);

public sealed class FloatOperationFilterInputType() : OperationFilterInputType<FloatGraphType>("FloatOperationFilterInput", comparable: true);

public sealed class DateTimeOperationFilterInputType() : OperationFilterInputType<DateTimeGraphType>("DateTimeOperationFilterInput", comparable: true);

public sealed class BooleanOperationFilterInputType() : OperationFilterInputType<BooleanGraphType>("BooleanOperationFilterInput", comparable: false);
