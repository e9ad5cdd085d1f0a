using GraphQL.Types;
using Klaviyo.Core.TimeRanges;

namespace Klaviyo.GraphQL.TimeRanges;

public sealed class SeriesIntervalType : EnumerationGraphType<SeriesInterval>
{
    public SeriesIntervalType()
    {
        Name = "Interval";
        Description = "The width of a series bucket (overview: in the account's time zone; metricSeries: UTC). Weeks start on Monday.";
    }
}
