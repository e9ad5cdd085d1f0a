using GraphQL.Types;
using Klaviyo.Core.TimeRanges;

namespace Klaviyo.GraphQL.TimeRanges;

public sealed class RangePresetType : EnumerationGraphType
{
    public RangePresetType()
    {
        Name = "RangePreset";
        Description = "Whole days in the account's time zone. A range that includes today ends now.";
        Add("TODAY", RangePreset.Today, "Today so far.");
        Add("YESTERDAY", RangePreset.Yesterday, "Yesterday, midnight to midnight.");
        Add("LAST_7_DAYS", RangePreset.Last7Days, "Today and the 6 days before it.");
        Add("LAST_30_DAYS", RangePreset.Last30Days, "Today and the 29 days before it.");
        Add("LAST_90_DAYS", RangePreset.Last90Days, "Today and the 89 days before it.");
        Add("THIS_WEEK", RangePreset.ThisWeek, "Since Monday.");
        Add("THIS_MONTH", RangePreset.ThisMonth, "Since the 1st.");
        Add("LAST_MONTH", RangePreset.LastMonth, "The whole previous month.");
        Add("THIS_QUARTER", RangePreset.ThisQuarter, "Since the quarter began.");
        Add("THIS_YEAR", RangePreset.ThisYear, "Since 1 January.");
    }
}
