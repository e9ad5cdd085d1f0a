using GraphQL.Types;
using Klaviyo.Core.TimeRanges;

namespace Klaviyo.GraphQL.TimeRanges;

public sealed class CompareToType : EnumerationGraphType
{
    public CompareToType()
    {
        Name = "CompareTo";
        Description = "The comparison window of a report.";
        Add("PREVIOUS_PERIOD", CompareTo.PreviousPeriod, "The same number of days just before (covering the same elapsed time when the range ends now).");
        Add("PREVIOUS_YEAR", CompareTo.PreviousYear, "52 weeks earlier, so weekdays line up (as Klaviyo and Shopify compare).");
        Add("NONE", CompareTo.None, "No comparison: previous values and % change are null.");
    }
}
