namespace Klaviyo.GraphQL.TimeRanges;

public enum SeriesInterval
{
    Hour,
    Day,
    Week,
    Month,
}
