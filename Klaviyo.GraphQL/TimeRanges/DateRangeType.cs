using GraphQL;
using GraphQL.Types;

namespace Klaviyo.GraphQL.TimeRanges;

public sealed class DateRangeInputType : InputObjectGraphType<DateRange>
{
    public DateRangeInputType()
    {
        Name = "DateRangeInput";
        Description = "A UTC window: from start (inclusive) to end (exclusive), both truncated to the hour.";
        Field<NonNullGraphType<DateTimeGraphType>>("start").Description("First instant included.");
        Field<NonNullGraphType<DateTimeGraphType>>("end").Description("First instant after the window.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) =>
        new DateRange((DateTime)value["start"]!, (DateTime)value["end"]!);
}

public sealed class DateRangeType : ObjectGraphType<DateRange>
{
    public DateRangeType()
    {
        Name = "DateRange";
        Description = "A UTC window [start, end).";
        Field(r => r.Start).Description("First instant included.");
        Field(r => r.End).Description("First instant after the window.");
    }
}
