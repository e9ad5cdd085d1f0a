using GraphQL.Types;
using Klaviyo.Core.TimeRanges;

namespace Klaviyo.GraphQL.TimeRanges;

public sealed class DateRangeInputType : InputObjectGraphType<RangeRequest>
{
    public DateRangeInputType()
    {
        Name = "DateRangeInput";
        Description = "A window, given one of three ways: { start, end } UTC instants (truncated to the hour), { from, to } inclusive calendar days in the account's time zone, or { preset }. Days that include today end now.";
        Field<DateTimeGraphType>("start").Description("First instant included (with end).");
        Field<DateTimeGraphType>("end").Description("First instant after the window (with start).");
        Field<DateOnlyGraphType>("from").Description("First calendar day included, in the account's time zone (with to).");
        Field<DateOnlyGraphType>("to").Description("Last calendar day included (with from); a day after today counts as today.");
        Field<RangePresetType>("preset").Description("A named range of days in the account's time zone.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => RangeRequest.Parse(value);
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
